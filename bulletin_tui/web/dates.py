"""Places as the registration pages show them, per date for a session on several dates (docs/occurrences.md),
from the confirmed counts the read-only view keeps per (session, date, mode)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..domain.occurrences import pool_capacity, pool_modes
from ..domain.sessions import AttendanceMode, InfoSession, Occurrence, SessionFormat
from ..domain.times import british_clock_range, british_date


@dataclass(frozen=True)
class DateChoice:
    """One date a person can choose on the form."""

    id: str
    label: str
    places: str


def date_left(taken: Counter[tuple[str, str, str]], slug: str, date: Occurrence) -> int | None:
    """Places left on one date over its pools (None: no limit)."""
    total = 0
    for mode in pool_modes(date):
        capacity = pool_capacity(date, mode)
        if capacity is None:
            return None
        used = sum(
            count
            for (s, d, m), count in taken.items()
            if s == slug and d == date.id and (mode is None or m == mode.value)
        )
        total += max(capacity - used, 0)
    return total


def places_words(left: int | None) -> str:
    if left is None:
        return "Places available"
    return f"{left} place{'s' if left != 1 else ''} left" if left > 0 else "Fully booked: join the waiting list"


def open_dates(session: InfoSession, now: datetime) -> list[Occurrence]:
    """The dates still to come that are not cancelled."""
    return [o for o in session.dates() if not o.cancelled and o.start > now]


def date_choices(taken: Counter[tuple[str, str, str]], session: InfoSession, now: datetime) -> list[DateChoice]:
    """The dates to choose from, for a session on several dates (empty otherwise)."""
    if not session.occurrences:
        return []
    return [
        DateChoice(
            o.id,
            f"{british_date(o.start)}, {british_clock_range(o.start, o.end)}",
            places_words(date_left(taken, session.slug, o)),
        )
        for o in open_dates(session, now)
    ]


def session_places(taken: Counter[tuple[str, str, str]], session: InfoSession, now: datetime) -> str:
    """ "4 dates, 12 places left" (or the single date's places)."""
    dates = open_dates(session, now) if session.occurrences else session.dates()
    lefts = [date_left(taken, session.slug, o) for o in dates]
    total = None if any(left is None for left in lefts) else sum(left or 0 for left in lefts)
    if not session.occurrences:
        return places_words(total)
    return f"{len(dates)} dates: {places_words(total).lower()}"


def attendance_modes(session: InfoSession, now: datetime) -> list[tuple[str, str]]:
    """(value, label) of the ways to attend, for a hybrid session (empty otherwise): the form asks."""
    dates = open_dates(session, now) or session.dates()
    if not any(o.format is SessionFormat.HYBRID for o in dates):
        return []
    venue = next((o.venue for o in dates if o.venue), "") or "the venue"
    return [
        (AttendanceMode.IN_PERSON.value, f"In person, at {venue}"),
        (AttendanceMode.ONLINE.value, "Online (Microsoft Teams)"),
    ]
