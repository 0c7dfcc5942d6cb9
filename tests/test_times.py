"""Europe/London wall-clock rules and British formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.times import (
    AmbiguousTimeError,
    NonexistentTimeError,
    british_clock,
    british_date,
    financial_year,
    financial_year_of,
    parse_date,
    parse_local,
)


def test_spring_forward_gap_is_refused_with_a_suggestion() -> None:
    with pytest.raises(NonexistentTimeError, match="did you mean 02:30 BST"):
        parse_local("2026-03-29 01:30")


def test_fall_back_overlap_must_be_chosen() -> None:
    with pytest.raises(AmbiguousTimeError, match="happens twice"):
        parse_local("2026-10-25 01:30")
    first = parse_local("2026-10-25 01:30", fold=0)
    second = parse_local("2026-10-25 01:30", fold=1)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(("text", "utc_hour"), [("2026-03-28 12:30", 12), ("2026-03-30 12:30", 11),
                                                ("2026-10-24 12:30", 11), ("2026-10-26 12:30", 12)])
def test_either_side_of_the_clock_change(text: str, utc_hour: int) -> None:
    assert parse_local(text).astimezone(UTC).hour == utc_hour


@pytest.mark.parametrize(("text", "expected"), [
    ("25.10.21", date(2021, 10, 25)), ("15/09/2021", date(2021, 9, 15)), ("2024-06-20", date(2024, 6, 20)),
    ("20-06-2024", date(2024, 6, 20)),
])
def test_day_first_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "2024-13-01", "June 20", ""])
def test_bad_dates_name_the_input(text: str) -> None:
    with pytest.raises(DomainError, match=repr(text)[1:-1] or "date"):
        parse_date(text)


def test_british_formats() -> None:
    at = parse_local("2024-06-20 12:30")
    assert british_date(at) == "Thursday 20 June 2024"
    assert british_clock(at) == "12.30 pm"
    assert british_clock(parse_local("2024-06-20 12:00")) == "12 noon"
    assert british_clock(parse_local("2024-06-20 09:00")) == "9 am"


def test_financial_years() -> None:
    assert financial_year("2024/25") == (date(2024, 4, 1), date(2025, 3, 31))
    assert financial_year_of(date(2025, 3, 31)) == "2024/25"
    assert financial_year_of(date(2025, 4, 1)) == "2025/26"
    with pytest.raises(DomainError):
        financial_year("2024/26")
