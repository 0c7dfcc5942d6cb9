"""Places per date: each occurrence of a session (and, for a hybrid one with split capacity, each way of
attending it) is a pool with its own capacity, waiting list and promotions. Pure rules; docs/occurrences.md."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .errors import DomainError
from .sessions import (
    AttendanceMode,
    InfoSession,
    Occurrence,
    Registration,
    RegistrationStatus,
    SessionFormat,
    numbered,
    places_left,
)
from .times import LONDON, british_clock_range, british_date


def split_modes(occurrence: Occurrence) -> bool:
    """True when a hybrid date counts in-person and online places apart."""
    return occurrence.format is SessionFormat.HYBRID and (
        occurrence.capacity_in_person is not None or occurrence.capacity_online is not None
    )


def pool_modes(occurrence: Occurrence) -> list[AttendanceMode | None]:
    """The pools of one date: both modes when split, else one shared pool (None)."""
    return [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE] if split_modes(occurrence) else [None]


def pool_mode(occurrence: Occurrence, mode: AttendanceMode) -> AttendanceMode | None:
    """The pool a person attending in `mode` belongs to."""
    return mode if split_modes(occurrence) else None


def pool_capacity(occurrence: Occurrence, mode: AttendanceMode | None) -> int | None:
    """Places in one pool (None: no limit)."""
    if mode is AttendanceMode.IN_PERSON:
        return occurrence.capacity_in_person
    if mode is AttendanceMode.ONLINE:
        return occurrence.capacity_online
    return occurrence.capacity


def in_pool(registration: Registration, occurrence: Occurrence, mode: AttendanceMode | None) -> bool:
    return registration.occurrence_id == occurrence.id and (mode is None or registration.mode is mode)


def pool_registrations(
    registrations: Iterable[Registration], occurrence: Occurrence, mode: AttendanceMode | None
) -> list[Registration]:
    """A pool's registrations in arrival order."""
    return sorted((r for r in registrations if in_pool(r, occurrence, mode)), key=lambda r: r.position)


def taken(registrations: Iterable[Registration], occurrence: Occurrence, mode: AttendanceMode | None) -> int:
    return sum(
        1 for r in pool_registrations(registrations, occurrence, mode) if r.status is RegistrationStatus.CONFIRMED
    )


def waiting(registrations: Iterable[Registration], occurrence: Occurrence, mode: AttendanceMode | None) -> int:
    return sum(
        1 for r in pool_registrations(registrations, occurrence, mode) if r.status is RegistrationStatus.WAITLISTED
    )


def pool_left(occurrence: Occurrence, mode: AttendanceMode | None, confirmed: int) -> int | None:
    """Places left in one pool with `confirmed` places taken (None: no limit): the one places-left rule."""
    return places_left(pool_capacity(occurrence, mode), confirmed)


def pool_places_left(
    registrations: Iterable[Registration], occurrence: Occurrence, mode: AttendanceMode | None
) -> int | None:
    return pool_left(occurrence, mode, taken(registrations, occurrence, mode))


PoolCounts = Mapping[tuple[str, str, str], int]
"""Confirmed places per (session slug, date id, attendance mode value): what a reader that does not build each
registration keeps (the web face's view)."""


def counted(confirmed: PoolCounts, slug: str, occurrence: Occurrence, mode: AttendanceMode | None) -> int:
    """Confirmed places in one pool, from counts (the pools of `in_pool`: None takes every mode)."""
    return sum(
        count
        for (session, date, attending), count in confirmed.items()
        if session == slug and date == occurrence.id and (mode is None or attending == mode.value)
    )


def counted_left(confirmed: PoolCounts, slug: str, occurrence: Occurrence) -> int | None:
    """Places left on one date over its pools, from counts (None: no limit); as `date_places(...).left`."""
    modes = pool_modes(occurrence)
    return _sum([pool_left(occurrence, mode, counted(confirmed, slug, occurrence, mode)) for mode in modes])


def counted_left_over(confirmed: PoolCounts, slug: str, dates: Iterable[Occurrence]) -> int | None:
    """Places left over several dates of one session, from counts (None: one of them has no limit)."""
    return _sum([counted_left(confirmed, slug, occurrence) for occurrence in dates])


@dataclass(frozen=True)
class DatePlaces:
    """One date and its places, per pool and in total (capacity/left None: no limit)."""

    occurrence: Occurrence
    capacity: int | None
    confirmed: int
    waiting: int
    left: int | None
    by_mode: dict[str, tuple[int | None, int, int | None]]
    """Split hybrid dates: mode -> (capacity, confirmed, left)."""

    @property
    def label(self) -> str:
        """ "Tuesday 2 March 2027, 9.30 am to 4 pm"."""
        start, end = self.occurrence.start, self.occurrence.end
        return f"{british_date(start)}, {british_clock_range(start, end)}"


def _sum(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def date_places(registrations: Iterable[Registration], occurrence: Occurrence) -> DatePlaces:
    regs = list(registrations)
    modes = pool_modes(occurrence)
    caps = [pool_capacity(occurrence, mode) for mode in modes]
    confirmed = [taken(regs, occurrence, mode) for mode in modes]
    lefts = [pool_left(occurrence, mode, count) for mode, count in zip(modes, confirmed, strict=True)]
    by_mode = {
        mode.value: (cap, count, left)
        for mode, cap, count, left in zip(modes, caps, confirmed, lefts, strict=True)
        if mode is not None
    }
    return DatePlaces(
        occurrence, _sum(caps), sum(confirmed), sum(waiting(regs, occurrence, m) for m in modes), _sum(lefts), by_mode
    )


def session_places(session: InfoSession, registrations: Iterable[Registration]) -> list[DatePlaces]:
    """Every date of a session with its places (cancelled dates included; callers filter)."""
    regs = [r for r in registrations if r.session_slug == session.slug]
    return [date_places(regs, occurrence) for occurrence in session.dates()]


def offers(
    session: InfoSession, registrations: Iterable[Registration], *, besides: str, mode: AttendanceMode, now: datetime
) -> list[DatePlaces]:
    """Other dates of the session, still to come and not cancelled, with a place for someone attending in `mode`:
    what a person put on a waiting list is offered instead."""
    if session.cancelled:
        return []
    regs = [r for r in registrations if r.session_slug == session.slug]
    found = []
    for occurrence in session.dates():
        if occurrence.id == besides or occurrence.cancelled or occurrence.start <= now:
            continue
        left = pool_places_left(regs, occurrence, pool_mode(occurrence, mode))
        if left is None or left > 0:
            found.append(date_places(regs, occurrence))
    return found


def places_phrase(places: DatePlaces) -> str:
    """ "5 places left", "full", "no limit"; split hybrid dates say both: "in person: full; online: 40 left"."""
    if places.by_mode:
        return "; ".join(f"{mode}: {_left_words(left)}" for mode, (_, _, left) in places.by_mode.items())
    return _left_words(places.left)


def _left_words(left: int | None) -> str:
    if left is None:
        return "places available"
    return "full" if left == 0 else f"{left} place{'s' if left != 1 else ''} left"


def dates_summary(dates: list[DatePlaces]) -> str:
    """ "4 dates, 12 places left" (scheduled dates only), the line the bulletin and the screens show."""
    count = len(dates)
    head = f"{count} date{'s' if count != 1 else ''}"
    left = _sum([d.left for d in dates])
    if left is None:
        return head
    return f"{head}, {'fully booked' if left == 0 else _left_words(left)}"


def date_choices(session: InfoSession) -> str:
    """ "1 = Tuesday 2 March 2027; 2 = ..." for an error message that names the choices."""
    return "; ".join(
        f"{o.id} = {british_date(o.start)}" + (" (cancelled)" if o.cancelled else "") for o in session.dates()
    )


def choose_occurrence(session: InfoSession, wanted: str | None) -> Occurrence:
    """The date a registration is for: `wanted` by id (or by its day, YYYY-MM-DD); may be left out only when the
    session has a single date. Cancelled dates are refused. DomainError names the choices."""
    dates = session.dates()
    if not wanted:
        if len(dates) == 1:
            return dates[0]
        raise DomainError(f"session '{session.slug}' has {len(dates)} dates; choose one: {date_choices(session)}")
    found = session.occurrence(wanted) or next(
        (o for o in dates if o.id and o.start.astimezone(LONDON).date().isoformat() == wanted), None
    )
    if found is None:
        raise DomainError(f"session '{session.slug}' has no date '{wanted}'; choose one: {date_choices(session)}")
    if found.cancelled and not session.cancelled:
        raise DomainError(
            f"date {found.id} of '{session.slug}' ({british_date(found.start)}) is cancelled; "
            f"choose another: {date_choices(session)}"
        )
    return found


def dates_named(session: InfoSession, text: str) -> list[str]:
    """Ids of the dates (not cancelled) that `text` names by day and month ("16 February", "16th February")."""
    lowered = " ".join(text.lower().split())
    found = []
    for date in session.dates():
        local = date.start.astimezone(LONDON)
        if not date.cancelled and re.search(rf"\b{local.day}(st|nd|rd|th)? {local:%B}\b".lower(), lowered):
            found.append(date.id)
    return found


def total_places(session: InfoSession) -> int | None:
    """Places over its dates that are not cancelled (a single-date session: its capacity; None: no limit)."""
    if not session.occurrences:
        return session.capacity
    caps = [pool_capacity(o, mode) for o in session.dates() if not o.cancelled for mode in pool_modes(o)]
    return _sum(caps)


def numbered_by_date(registrations: Iterable[Registration]) -> list[tuple[int, Registration]]:
    """Date by date, each numbered as `numbered` does (1 = next in line on that date's waiting list)."""
    regs = list(registrations)
    dates = sorted({r.occurrence_id for r in regs}, key=lambda d: (len(d), d))
    return [pair for date in dates for pair in numbered(r for r in regs if r.occurrence_id == date)]
