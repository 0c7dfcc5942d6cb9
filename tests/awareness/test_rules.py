"""The calendar's rule engine across 2024-2031: expected dates are worked out by hand from each year's calendar
(1 November 2024 was a Friday, 1 October 2029 a Monday, ...), not by the code under test."""

from __future__ import annotations

from datetime import date

import pytest

from bulletin_tui.domain.awareness import (
    AwarenessCampaign,
    DateSpan,
    in_window,
    mentions,
    occurrences,
    starting_in,
)
from bulletin_tui.domain.awareness_rules import parse_rule, parse_span
from bulletin_tui.domain.errors import DomainError

YEARS = range(2024, 2032)


def campaign(rule: str | None, *spans: tuple[date, date], name: str = "Test Week") -> AwarenessCampaign:
    return AwarenessCampaign(
        slug="test-week",
        name=name,
        rule=parse_rule(rule) if rule else None,
        dates=[DateSpan(start=s, end=e) for s, e in spans],
    )


def spans_of(rule: str) -> dict[int, tuple[date, date]]:
    parsed = parse_rule(rule)
    return {year: (parsed.span(year).start, parsed.span(year).end) for year in YEARS}


def test_third_monday_of_november_for_7_days() -> None:
    firsts = [18, 17, 16, 15, 20, 19, 18, 17]  # Mondays after 1 Nov: Fri, Sat, Sun, Mon, Wed, Thu, Fri, Sat
    assert spans_of("third Monday of November for 7 days") == {
        year: (date(year, 11, day), date(year, 11, day + 6)) for year, day in zip(YEARS, firsts, strict=True)
    }


def test_nth_week_starts_on_the_nth_monday() -> None:
    mondays = [14, 13, 12, 11, 9, 8, 14, 13]  # second Monday of October
    assert spans_of("the second week of October") == {
        year: (date(year, 10, day), date(year, 10, day + 6)) for year, day in zip(YEARS, mondays, strict=True)
    }
    # a month that starts on a Monday: its first week is days 1-7 (October 2029, November 2027)
    assert parse_rule("first week of October").span(2029) == DateSpan(start=date(2029, 10, 1), end=date(2029, 10, 7))
    assert parse_rule("first week in November").span(2027) == DateSpan(start=date(2027, 11, 1), end=date(2027, 11, 7))
    last = parse_rule("last week of October").span(2026)  # Mondays 5, 12, 19, 26: the week runs into November
    assert (last.start, last.end) == (date(2026, 10, 26), date(2026, 11, 1))


def test_last_weekday_rules() -> None:
    bank_holiday = [27, 26, 25, 31, 29, 28, 27, 26]  # last Monday of May
    assert spans_of("last Monday of May") == {
        year: (date(year, 5, day),) * 2 for year, day in zip(YEARS, bank_holiday, strict=True)
    }
    crossing = parse_rule("last Monday of December for 2 weeks")
    assert crossing.span(2026) == DateSpan(start=date(2026, 12, 28), end=date(2027, 1, 10))
    assert crossing.span(2029) == DateSpan(start=date(2029, 12, 31), end=date(2030, 1, 13))


def test_saturday_to_saturday_week() -> None:
    saturdays = [12, 11, 10, 9, 14, 13, 12, 11]  # second Saturday of October
    assert spans_of("second Saturday of October for 8 days") == {
        year: (date(year, 10, day), date(year, 10, day + 7)) for year, day in zip(YEARS, saturdays, strict=True)
    }


def test_fixed_span_crosses_a_month_boundary_every_year() -> None:
    assert spans_of("25 November to 10 December") == {year: (date(year, 11, 25), date(year, 12, 10)) for year in YEARS}
    assert parse_rule("25th Nov – 10th Dec") == parse_rule("25 November to 10 December")


def test_span_across_the_year_end_belongs_to_both_years() -> None:
    festive = campaign("20 Dec to 5 Jan")
    assert [(o.start, o.end) for o in occurrences(festive, 2027)] == [
        (date(2026, 12, 20), date(2027, 1, 5)),
        (date(2027, 12, 20), date(2028, 1, 5)),
    ]
    january = in_window([festive], date(2027, 1, 1), date(2027, 1, 31))
    assert [(o.start, o.end) for o in january] == [(date(2026, 12, 20), date(2027, 1, 5))]
    assert starting_in([festive], 2027, 1) == []  # it started in December
    assert [o.start for o in starting_in([festive], 2027, 12)] == [date(2027, 12, 20)]


def test_leap_years() -> None:
    february = spans_of("February")
    assert {year: end.day for year, (_start, end) in february.items()} == {
        2024: 29,
        2025: 28,
        2026: 28,
        2027: 28,
        2028: 29,
        2029: 28,
        2030: 28,
        2031: 28,
    }
    leap_day = parse_rule("29 Feb to 1 Mar")  # 29 February becomes the 28th in other years
    assert leap_day.span(2028) == DateSpan(start=date(2028, 2, 29), end=date(2028, 3, 1))
    assert leap_day.span(2027) == DateSpan(start=date(2027, 2, 28), end=date(2027, 3, 1))
    assert parse_rule("last Thursday of February").span(2024).start == date(2024, 2, 29)
    assert parse_rule("last Thursday of February").span(2025).start == date(2025, 2, 27)
    assert [(s.end - s.start).days for s in (parse_rule("22 Feb to 7 Mar").span(y) for y in (2027, 2028))] == [13, 14]


def test_whole_month() -> None:
    assert spans_of("January") == {year: (date(year, 1, 1), date(year, 1, 31)) for year in YEARS}
    assert parse_rule("all of Sept") == parse_rule("September")


def test_recorded_dates_override_the_rule_for_their_year_only() -> None:
    alcohol = campaign("third Monday of November for 7 days", (date(2021, 11, 15), date(2021, 11, 22)))
    assert [(o.start, o.end, o.recorded) for o in occurrences(alcohol, 2021)] == [
        (date(2021, 11, 15), date(2021, 11, 22), True)
    ]
    assert [(o.start, o.end, o.recorded) for o in occurrences(alcohol, 2024)] == [
        (date(2024, 11, 18), date(2024, 11, 24), False)
    ]
    moved = alcohol.with_dates(DateSpan(start=date(2025, 7, 7), end=date(2025, 7, 13)))
    assert [o.start for o in occurrences(moved, 2025)] == [date(2025, 7, 7)]  # not also 17 November
    replaced = moved.with_dates(DateSpan(start=date(2025, 7, 8), end=date(2025, 7, 14)))
    assert [d.start for d in replaced.dates] == [date(2021, 11, 15), date(2025, 7, 8)]


def test_mentions_are_whole_words_in_any_case_and_punctuation() -> None:
    saaw = AwarenessCampaign(
        slug="s",
        name="Safeguarding Adults Awareness Week",
        short_names=["SAAW"],
        rule=parse_rule("third Monday of November for 7 days"),
    )
    assert mentions(saaw, ["Events for SAFEGUARDING-adults  awareness week, Kent"])
    assert mentions(saaw, ["Plans", "The saaw programme."])
    assert not mentions(saaw, ["SAAWs are planned", "Safeguarding adults: awareness"])


def test_dates_only_campaign_has_no_other_years() -> None:
    once = campaign(None, (date(2026, 3, 2), date(2026, 3, 8)))
    assert [o.start for o in occurrences(once, 2026)] == [date(2026, 3, 2)]
    assert occurrences(once, 2027) == []
    with pytest.raises(ValueError, match="needs a rule or the dates"):
        campaign(None)


def test_rule_words_round_trip() -> None:
    for text in (
        "January",
        "25 Nov to 10 Dec",
        "third Monday of November for 7 days",
        "second week of October",
        "last Friday of March",
        "first Sunday of June for 2 days",
    ):
        assert parse_rule(text).text() == text
        assert parse_rule(parse_rule(text).text()) == parse_rule(text)


def test_a_rule_accepted_gives_a_valid_span_in_every_year() -> None:
    """Found by the suite under a faked leap day: '1 Dec to 2 Mar' was accepted (92 days in 2024-25) but its
    1999-2000 edition ran 93 and raised. The longest rule that crosses a 29 February now works every year."""
    rule = parse_rule("1 Dec to 1 Mar")
    lengths = {(rule.span(year).end - rule.span(year).start).days + 1 for year in range(1990, 2101)}
    assert lengths == {91, 92}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Novembr", "'novembr' is not a month"),
        ("third Mondy of November", "'mondy' is not a day of the week"),
        ("fifth Monday of May", "say 'last' instead"),
        ("tenth Monday of May", "'tenth' is not first, second, third, fourth or last"),
        ("third Monday of November for 7 fortnights", "'fortnights' is not days or weeks"),
        ("third Monday of November for 200 days", "1 to 92 days, not 200"),
        ("31 Nov to 3 Dec", "November has no day 31"),
        ("30 Feb to 3 Mar", "February has no day 30"),
        ("25 Nov to 24 Nov", "it would run 366 days"),  # in the edition that holds a 29 February
        ("1 Dec to 2 Mar", "it would run 93 days"),  # 92 in most years, 93 across 29 February 2024
        ("second week of October for 8 days", "a week is always seven days"),
        ("whenever", "'whenever' is not a month"),
        ("every so often in spring", "cannot read rule"),
        ("", "the rule is empty"),
    ],
)
def test_rule_errors_name_the_mistake(text: str, named: str) -> None:
    with pytest.raises(DomainError, match=named) as caught:
        parse_rule(text)
    assert "\n" not in str(caught.value)


def test_year_dates() -> None:
    assert parse_span("15-21 November", 2021) == DateSpan(start=date(2021, 11, 15), end=date(2021, 11, 21))
    assert parse_span("2021-11-15 to 2021-11-22", None).end == date(2021, 11, 22)
    assert parse_span("15/11/2021 - 22/11/2021", 2021).end == date(2021, 11, 22)
    assert parse_span("28 Dec to 3 Jan", 2026) == DateSpan(start=date(2026, 12, 28), end=date(2027, 1, 3))
    assert parse_span("Dec 28 to Jan 3", 2026).end == date(2027, 1, 3)
    for text, year, named in (
        ("2021-11-15 to 2021-11-21", 2022, "start in 2021, not in 2022"),
        ("15-21 November", None, "give the year"),
        ("29 Feb", 2027, "29 February 2027 does not exist"),
        ("2021-11-21 to 2021-11-15", None, "before it starts"),
    ):
        with pytest.raises(DomainError, match=named):
            parse_span(text, year)
