"""The pure rules of dates and places: pools per date (and per way of attending a split hybrid date), choosing a
date by id, day or words, and the phrases every face shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.occurrences import (
    choose_occurrence,
    date_places,
    dates_named,
    dates_summary,
    places_phrase,
    pool_capacity,
    pool_modes,
)
from bulletin_tui.domain.sessions import (
    AttendanceMode,
    InfoSession,
    Occurrence,
    Registration,
    RegistrationStatus,
    SessionFormat,
    SessionStatus,
)

START = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def _date(number: int, day: datetime, **fields: object) -> Occurrence:
    return Occurrence(id=str(number), start=day, end=day + timedelta(hours=6), uid=f"d{number}@kcst.test", **fields)  # type: ignore[arg-type]


def _session(*dates: Occurrence) -> InfoSession:
    return InfoSession(
        slug="s",
        title="T",
        start=START,
        end=START + timedelta(hours=1),
        uid="s@kcst.test",
        created_at=START,
        occurrences=list(dates),
    )


def _reg(n: int, date: str, mode: AttendanceMode, status: RegistrationStatus) -> Registration:
    return Registration(
        id=f"r-{n}",
        session_slug="s",
        occurrence_id=date,
        email=f"p{n}@example.org",
        mode=mode,
        status=status,
        registered_at=START,
        position=n,
    )


def test_a_session_without_dates_is_its_own_single_date() -> None:
    session = _session()
    [only] = session.dates()
    assert (only.id, only.uid, only.start) == ("", "s@kcst.test", START)
    assert session.at(only) is session and choose_occurrence(session, None) is not None


def test_dates_named_by_day_and_month_need_whole_words() -> None:
    session = _session(_date(1, START), _date(2, START + timedelta(days=10)))  # 8 and 18 December
    assert dates_named(session, "Booking for 18 December please") == ["2"]
    assert dates_named(session, "the 8th December one") == ["1"]
    assert dates_named(session, "any date") == []
    assert choose_occurrence(session, "2026-12-18").id == "2"


def test_a_cancelled_date_cannot_be_chosen() -> None:
    session = _session(_date(1, START, status=SessionStatus.CANCELLED), _date(2, START + timedelta(days=10)))
    with pytest.raises(DomainError, match=r"date 1 of 's' \(Tuesday 8 December 2026\) is cancelled"):
        choose_occurrence(session, "1")


def test_split_hybrid_pools_and_phrases() -> None:
    hybrid = _date(1, START, format=SessionFormat.HYBRID, capacity_in_person=2, capacity_online=3)
    assert pool_modes(hybrid) == [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]
    assert (pool_capacity(hybrid, AttendanceMode.IN_PERSON), pool_capacity(hybrid, AttendanceMode.ONLINE)) == (2, 3)
    regs = [
        _reg(0, "1", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED),
        _reg(1, "1", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED),
        _reg(2, "1", AttendanceMode.IN_PERSON, RegistrationStatus.WAITLISTED),
        _reg(3, "1", AttendanceMode.ONLINE, RegistrationStatus.CONFIRMED),
    ]
    places = date_places(regs, hybrid)
    assert (places.capacity, places.confirmed, places.waiting, places.left) == (5, 3, 1, 2)
    assert places_phrase(places) == "in person: full; online: 2 places left"
    shared = _date(2, START, format=SessionFormat.HYBRID, capacity=4)
    assert pool_modes(shared) == [None] and date_places([], shared).left == 4


def test_the_summary_line() -> None:
    full = date_places([_reg(0, "1", AttendanceMode.ONLINE, RegistrationStatus.CONFIRMED)], _date(1, START, capacity=1))
    open_ = date_places([], _date(2, START, capacity=12))
    unlimited = date_places([], _date(3, START))
    assert dates_summary([full, open_]) == "2 dates, 12 places left"
    assert dates_summary([full]) == "1 date, fully booked"
    assert dates_summary([open_, unlimited]) == "2 dates"
