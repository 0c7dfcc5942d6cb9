"""A compact Europe/London VTIMEZONE: two yearly rules instead of icalendar's 3.4 KB of RDATE lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icalendar import Timezone

TZID = "Europe/London"


def _observance(kind: type, name: str, offset_from: int, offset_to: int, start: datetime, month: int):  # type: ignore[no-untyped-def]
    part = kind()
    part.add("tzname", name)
    part.add("tzoffsetfrom", timedelta(hours=offset_from))
    part.add("tzoffsetto", timedelta(hours=offset_to))
    part.add("dtstart", start)
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return part


def london_vtimezone() -> Timezone:
    """BST from 01:00 GMT on the last Sunday of March, GMT from 02:00 BST on the last Sunday of October."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard  # imported on first use

    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(_observance(TimezoneDaylight, "BST", 0, 1, datetime(1981, 3, 29, 1, 0), 3))
    zone.add_component(_observance(TimezoneStandard, "GMT", 1, 0, datetime(1996, 10, 27, 2, 0), 10))
    return zone
