"""The pure rules in domain/sessions.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bulletin_tui.domain.sessions import (
    InfoSession,
    SessionFormat,
    over_capacity,
    places_left,
    status_for_newcomer,
)
from bulletin_tui.domain.times import london_time

START = london_time(datetime(2026, 6, 18, 12, 30))


def session(**fields: object) -> InfoSession:
    values = {"slug": "s", "title": "T", "start": START, "end": START.replace(hour=13), "uid": "u",
              "created_at": START, **fields}
    return InfoSession.model_validate(values)


def test_instants_are_stored_in_utc():
    assert session().start == datetime(2026, 6, 18, 11, 30, tzinfo=UTC) and session().start.tzinfo is UTC


def test_naive_or_backwards_times_are_refused():
    with pytest.raises(ValidationError, match="time zone"):
        session(start=datetime(2026, 6, 18, 12, 30))
    with pytest.raises(ValidationError, match="end must be after start"):
        session(end=START)


@pytest.mark.parametrize(("fmt", "venue", "link", "expected"), [
    (SessionFormat.ONLINE, "", "https://teams.microsoft.com/l/x", "Online (Microsoft Teams link below)"),
    (SessionFormat.ONLINE, "", None, "Online"),
    (SessionFormat.HYBRID, "Oakwood House", None, "Oakwood House, or online"),
    (SessionFormat.IN_PERSON, "", None, "Venue to be confirmed"),
])
def test_where(fmt, venue, link, expected):
    assert session(format=fmt, venue=venue, join_link=link).where == expected


def test_places():
    assert places_left(None, 500) is None and places_left(10, 12) == 0 and places_left(10, 3) == 7
    assert status_for_newcomer(2, 1).value == "confirmed" and status_for_newcomer(2, 2).value == "waitlisted"
    assert over_capacity(2, 5) == 3 and over_capacity(None, 5) == 0
