"""Places as the registration pages show them, per date for a session on several dates (docs/occurrences.md),
from the confirmed counts the read-only view keeps per (session, date, mode). The rule is `domain/occurrences.py`'s;
only the words are the pages' own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.occurrences import PoolCounts, counted_left, counted_left_over
from ..domain.sessions import AttendanceMode, InfoSession, Occurrence, SessionFormat
from ..domain.times import british_clock_range, british_date


@dataclass(frozen=True)
class DateChoice:
    """One date a person can choose on the form."""

    id: str
    label: str
    places: str


def places_words(left: int | None) -> str:
    if left is None:
        return "Places available"
    return f"{left} place{'s' if left != 1 else ''} left" if left > 0 else "Fully booked: join the waiting list"


def open_dates(session: InfoSession, now: datetime) -> list[Occurrence]:
    """The dates still to come that are not cancelled."""
    return [o for o in session.dates() if not o.cancelled and o.start > now]


def date_choices(taken: PoolCounts, session: InfoSession, now: datetime) -> list[DateChoice]:
    """The dates to choose from, for a session on several dates (empty otherwise)."""
    if not session.occurrences:
        return []
    return [
        DateChoice(
            o.id,
            f"{british_date(o.start)}, {british_clock_range(o.start, o.end)}",
            places_words(counted_left(taken, session.slug, o)),
        )
        for o in open_dates(session, now)
    ]


def session_places(taken: PoolCounts, session: InfoSession, now: datetime) -> str:
    """ "4 dates, 12 places left" (or the single date's places)."""
    dates = open_dates(session, now) if session.occurrences else session.dates()
    total = counted_left_over(taken, session.slug, dates)
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
