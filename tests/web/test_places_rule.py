"""One places-left rule: the registration pages count places from the web face's view (confirmed counts per
session, date and way of attending) and must give the answer `domain.occurrences.date_places` gives from the
registrations themselves, for every kind of date (one pool, split hybrid pools, no limit, over-full, cancelled)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bulletin_tui.domain.occurrences import counted_left, counted_left_over, session_places
from bulletin_tui.domain.sessions import (
    AttendanceMode,
    InfoSession,
    Occurrence,
    Registration,
    RegistrationStatus,
    SessionFormat,
    SessionStatus,
)
from bulletin_tui.services.context import AppContext
from bulletin_tui.storage.database import DB_NAME
from bulletin_tui.web.dates import session_places as page_places
from bulletin_tui.web.view import load_view

START = datetime(2031, 2, 4, 9, 30, tzinfo=UTC)
CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
IN_PERSON, ONLINE = AttendanceMode.IN_PERSON, AttendanceMode.ONLINE


def _date(number: int, **fields: object) -> Occurrence:
    day = START + timedelta(days=7 * number)
    return Occurrence(id=str(number), start=day, end=day + timedelta(hours=6), uid=f"d{number}@kcst.test",  # type: ignore[arg-type]
                      **fields)


def _session(slug: str, *dates: Occurrence, **fields: object) -> InfoSession:
    return InfoSession(slug=slug, title=slug, start=START, end=START + timedelta(hours=6), uid=f"{slug}@kcst.test",  # type: ignore[arg-type]
                       created_at=START, occurrences=list(dates), **fields)


SESSIONS = [
    _session("several", _date(1, capacity=3), _date(2, capacity=1), _date(3, capacity=2),
             _date(4, capacity=5, status=SessionStatus.CANCELLED), _date(5)),
    _session("hybrid", _date(1, format=SessionFormat.HYBRID, capacity_in_person=2, capacity_online=3),
             _date(2, format=SessionFormat.HYBRID, capacity=4),
             _date(3, format=SessionFormat.HYBRID, capacity_in_person=1, capacity_online=2)),
    _session("single", capacity=2),
    _session("unlimited"),
]
BOOKINGS = [  # (session, date, mode, status)
    ("several", "1", ONLINE, CONFIRMED), ("several", "1", ONLINE, CONFIRMED), ("several", "1", ONLINE, CANCELLED),
    ("several", "2", ONLINE, CONFIRMED), ("several", "2", ONLINE, CONFIRMED), ("several", "2", ONLINE, WAITLISTED),
    ("several", "4", ONLINE, CONFIRMED), ("several", "5", ONLINE, CONFIRMED),
    ("hybrid", "1", IN_PERSON, CONFIRMED), ("hybrid", "1", IN_PERSON, CONFIRMED),
    ("hybrid", "1", IN_PERSON, WAITLISTED), ("hybrid", "1", ONLINE, CONFIRMED),
    ("hybrid", "2", IN_PERSON, CONFIRMED), ("hybrid", "2", ONLINE, CONFIRMED), ("hybrid", "3", ONLINE, CONFIRMED),
    ("single", "", ONLINE, CONFIRMED), ("single", "", IN_PERSON, CONFIRMED), ("single", "", ONLINE, CONFIRMED),
    ("unlimited", "", ONLINE, CONFIRMED),
]


def _registrations() -> list[Registration]:
    return [Registration(id=f"r-{n}", session_slug=slug, occurrence_id=date, email=f"p{n}@example.org", mode=mode,
                         status=status, registered_at=START, position=n)
            for n, (slug, date, mode, status) in enumerate(BOOKINGS, start=1)]


def test_the_pages_count_places_as_the_domain_does(ctx: AppContext) -> None:
    registrations = _registrations()
    with ctx.store.transaction():
        ctx.store.sessions.put_many(SESSIONS)
        ctx.store.registrations.put_many(registrations)
    taken = load_view(ctx.data_dir / DB_NAME).taken
    seen = []
    for session in SESSIONS:
        dates = session_places(session, registrations)
        for places in dates:
            assert counted_left(taken, session.slug, places.occurrence) == places.left, (session.slug, places)
            seen.append(places.left)
        lefts = [d.left for d in dates]
        over = None if None in lefts else sum(left or 0 for left in lefts)
        assert counted_left_over(taken, session.slug, session.dates()) == over
    assert seen == [1, 0, 2, 4, None, 2, 2, 2, 0, None]  # each kind of date, full and over-full among them


def test_the_pages_words_follow_the_counts(ctx: AppContext) -> None:
    with ctx.store.transaction():
        ctx.store.sessions.put_many(SESSIONS)
        ctx.store.registrations.put_many(_registrations())
    taken = load_view(ctx.data_dir / DB_NAME).taken
    before = START - timedelta(days=1)
    assert [page_places(taken, s, before) for s in SESSIONS] == [
        "4 dates: places available", "3 dates: 6 places left", "Fully booked: join the waiting list",
        "Places available"]
    # after the first week: the dates to come only (cancelled ones never count)
    assert page_places(taken, SESSIONS[0], START + timedelta(days=8)) == "3 dates: places available"
