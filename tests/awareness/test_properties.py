"""Properties of the rule engine for any rule and any year (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, reject
from hypothesis import strategies as st
from pydantic import ValidationError

from bulletin_tui.domain.awareness import MAX_DAYS, AwarenessCampaign, Rule, RuleKind, in_window, occurrences
from bulletin_tui.domain.awareness_rules import parse_rule

months = st.integers(1, 12)
nths = st.sampled_from([1, 2, 3, 4, -1])
years = st.integers(1990, 2100)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    kind = draw(st.sampled_from(list(RuleKind)))
    month = draw(months)
    if kind is RuleKind.MONTH:
        return Rule(kind=kind, month=month)
    if kind is RuleKind.WEEK:
        return Rule(kind=kind, month=month, nth=draw(nths))
    if kind is RuleKind.WEEKDAY:
        return Rule(
            kind=kind, month=month, nth=draw(nths), weekday=draw(st.integers(0, 6)), days=draw(st.integers(1, MAX_DAYS))
        )
    start = draw(st.dates(date(2024, 1, 1), date(2024, 12, 31)))  # a leap year: every day that can exist
    end = start + timedelta(days=draw(st.integers(0, MAX_DAYS - 1)))
    try:  # refused when another year's edition, across a 29 February, would run one day too long
        return Rule(kind=kind, month=start.month, day=start.day, end_month=end.month, end_day=end.day)
    except ValidationError:
        reject()


@given(rules(), years)
def test_an_edition_starts_in_its_year_and_never_ends_before_it_starts(rule: Rule, year: int) -> None:
    span = rule.span(year)
    assert span.start <= span.end
    assert span.start.year == year
    assert (span.end - span.start).days < MAX_DAYS


@given(rules())
def test_the_words_read_back_as_the_same_rule(rule: Rule) -> None:
    assert parse_rule(rule.text()) == rule


@given(rules(), st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 400))
def test_what_a_window_returns_overlaps_it_and_nothing_overlapping_is_missed(
    rule: Rule, start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    campaign = AwarenessCampaign(slug="c", name="C", rule=rule)
    found = in_window([campaign], start, end)
    assert all(o.start <= end and o.end >= start for o in found)
    expected = [rule.span(y) for y in range(start.year - 1, end.year + 1) if rule.span(y).overlaps(start, end)]
    assert [o.span for o in found] == expected
    assert [o.start for o in found] == sorted(o.start for o in found)


@given(rules(), years)
def test_a_years_occurrences_include_the_one_running_into_it(rule: Rule, year: int) -> None:
    campaign = AwarenessCampaign(slug="c", name="C", rule=rule)
    found = occurrences(campaign, year)
    assert rule.span(year) in [o.span for o in found]
    last_year = rule.span(year - 1)
    assert (last_year in [o.span for o in found]) == (last_year.end.year == year)
