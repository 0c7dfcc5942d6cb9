"""Awareness campaigns: yearly rules ("third Monday of November for 7 days"), a year's actual dates that override
the rule, and where each campaign falls in a year or a window of days. Pure: no I/O, no clock.

The rule language is documented in docs/awareness-calendar.md; the parser is in `awareness_rules.py`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from .base import Model
from .text import Link, MultiLine, OneLine, Slug

MONTHS = list(calendar.month_name)[1:]
WEEKDAYS = list(calendar.day_name)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MAX_DAYS = 92
"""The longest a campaign may run (a quarter); longer is almost certainly a typing mistake."""


class RuleKind(StrEnum):
    DAYS = "days"  # a fixed span of days: 25 November to 10 December (may cross a month or the year end)
    MONTH = "month"  # a whole month: January
    WEEKDAY = "weekday"  # the Nth (or last) weekday of a month, lasting `days`
    WEEK = "week"  # the Nth (or last) week of a month: seven days from its Nth (or last) Monday


class Rule(Model):
    """When a campaign usually falls; `span(year)` gives the dates of the edition that starts in `year`."""

    kind: RuleKind
    month: int = Field(ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    end_month: int | None = Field(default=None, ge=1, le=12)
    end_day: int | None = Field(default=None, ge=1, le=31)
    nth: int | None = Field(default=None, description="1-4, or -1 for the last")
    weekday: int | None = Field(default=None, ge=0, le=6, description="0 is Monday")
    days: int = Field(default=1, ge=1, le=MAX_DAYS, description="how long a weekday rule lasts")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        needed = {
            RuleKind.DAYS: ("day", "end_month", "end_day"),
            RuleKind.MONTH: (),
            RuleKind.WEEKDAY: ("nth", "weekday"),
            RuleKind.WEEK: ("nth",),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a '{self.kind.value}' rule needs {', '.join(missing)}")
        if self.nth is not None and self.nth not in ORDINALS:
            raise ValueError("nth must be 1 to 4, or -1 for the last")
        if self.kind is RuleKind.DAYS:
            for month, day in ((self.month, self.day), (self.end_month, self.end_day)):
                if day is not None and month is not None and day > _month_days(2024, month):
                    raise ValueError(f"{MONTHS[month - 1]} has no day {day}")
            # its longest edition: the one whose span holds a 29 February (starting in 2024, or in 2023 when it
            # crosses the year end), so a rule accepted here gives a valid span in every year
            longest = max((end - start).days + 1 for start, end in (self._dates(2023), self._dates(2024)))
            if longest > MAX_DAYS:
                raise ValueError(f"it would run {longest} days; a campaign runs {MAX_DAYS} at most")
        return self

    def span(self, year: int) -> DateSpan:
        """The dates of the edition that starts in `year` (29 February becomes the 28th in other years)."""
        start, end = self._dates(year)
        return DateSpan(start=start, end=end)

    def _dates(self, year: int) -> tuple[date, date]:
        if self.kind is RuleKind.MONTH:
            return month_bounds(year, self.month)
        if self.kind is RuleKind.DAYS:
            assert self.day is not None and self.end_month is not None and self.end_day is not None
            end_year = year + 1 if (self.end_month, self.end_day) < (self.month, self.day) else year
            return _clamped(year, self.month, self.day), _clamped(end_year, self.end_month, self.end_day)
        assert self.nth is not None
        weekday = 0 if self.kind is RuleKind.WEEK else self.weekday
        assert weekday is not None
        first = nth_weekday(year, self.month, weekday, self.nth)
        length = 7 if self.kind is RuleKind.WEEK else self.days
        return first, first + timedelta(days=length - 1)

    def text(self) -> str:
        """The rule in the words the parser reads back (`parse_rule(rule.text()) == rule`)."""
        month = MONTHS[self.month - 1]
        if self.kind is RuleKind.MONTH:
            return month
        if self.kind is RuleKind.DAYS:
            assert self.end_month is not None
            return f"{self.day} {month[:3]} to {self.end_day} {MONTHS[self.end_month - 1][:3]}"
        assert self.nth is not None
        if self.kind is RuleKind.WEEK:
            return f"{ORDINALS[self.nth]} week of {month}"
        assert self.weekday is not None
        length = f" for {self.days} days" if self.days > 1 else ""
        return f"{ORDINALS[self.nth]} {WEEKDAYS[self.weekday]} of {month}{length}"


class DateSpan(Model):
    """A run of whole days, both ends included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValueError(f"a campaign may run {MAX_DAYS} days at most")
        return self

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and self.end >= start

    def words(self) -> str:
        """`Monday 16 to Sunday 22 November 2026`, `Wednesday 25 November to Thursday 10 December 2026`."""
        return span_words(self.start, self.end)


class AwarenessCampaign(Model):
    """A campaign in the team's year: when it usually runs, and the dates of the years someone has checked."""

    slug: Slug
    name: OneLine = Field(min_length=1, max_length=120)
    short_names: list[OneLine] = Field(default_factory=list, description="other names an item may use")
    rule: Rule | None = None
    dates: list[DateSpan] = Field(default_factory=list, description="a year's actual dates; override the rule")
    link: Link | None = None
    topics: list[OneLine] = Field(default_factory=list)
    note: MultiLine = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _has_dates(self) -> Self:
        if self.rule is None and not self.dates:
            raise ValueError("needs a rule or the dates of at least one year")
        years = [span.start.year for span in self.dates]
        if len(set(years)) != len(years):
            raise ValueError("has two sets of dates for one year")
        return self

    def names(self) -> list[str]:
        """The name and short names, as an item may mention them."""
        return [self.name, *self.short_names]

    def span(self, year: int) -> DateSpan | None:
        """The edition that starts in `year`: the recorded dates if there are any, else the rule's."""
        recorded = next((span for span in self.dates if span.start.year == year), None)
        if recorded is not None or self.rule is None:
            return recorded
        return self.rule.span(year)

    def with_dates(self, span: DateSpan) -> AwarenessCampaign:
        """A copy with `span` as the dates of its start year (replacing any recorded before)."""
        kept = [d for d in self.dates if d.start.year != span.start.year]
        return self.model_copy(update={"dates": sorted([*kept, span], key=lambda d: d.start)})


@dataclass(frozen=True)
class Occurrence:
    """One edition of a campaign."""

    campaign: AwarenessCampaign
    span: DateSpan
    recorded: bool
    """True when the dates were recorded for that year, False when they come from the rule."""

    @property
    def start(self) -> date:
        return self.span.start

    @property
    def end(self) -> date:
        return self.span.end


def is_guess(occurrence: Occurrence) -> bool:
    """True when the dates come from a weekday or week rule (they move each year) and none were recorded."""
    rule = occurrence.campaign.rule
    return not occurrence.recorded and rule is not None and rule.kind in (RuleKind.WEEKDAY, RuleKind.WEEK)


def occurrences(campaign: AwarenessCampaign, year: int) -> list[Occurrence]:
    """Every edition that has a day in calendar `year`, including last year's that runs into it."""
    return in_window([campaign], date(year, 1, 1), date(year, 12, 31))


def in_window(campaigns: list[AwarenessCampaign], start: date, end: date) -> list[Occurrence]:
    """Editions with at least one day from `start` to `end` (inclusive), soonest first."""
    found = []
    for campaign in campaigns:
        recorded_years = {span.start.year for span in campaign.dates}
        for year in range(start.year - 1, end.year + 1):  # an edition may start the year before and run on
            span = campaign.span(year)
            if span is not None and span.overlaps(start, end):
                found.append(Occurrence(campaign, span, year in recorded_years))
    return sorted(found, key=lambda o: (o.start, o.end, o.campaign.name.lower()))


def starting_in(campaigns: list[AwarenessCampaign], year: int, month: int) -> list[Occurrence]:
    """Editions that start in the given month."""
    first, last = month_bounds(year, month)
    return [o for o in in_window(campaigns, first, last) if first <= o.start <= last]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _month_days(year, month))


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The `nth` (1-4, or -1 for the last) `weekday` (0 = Monday) of a month."""
    if nth == -1:
        last = date(year, month, _month_days(year, month))
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def span_words(start: date, end: date, *, short: bool = False) -> str:
    """A span in British words, naming the month and year once where they are shared: `Monday 16 to Sunday 22
    November 2026`; `short` abbreviates the names (`Wed 25 Nov to Thu 10 Dec 2026`)."""
    day, month = ("%a", "%b") if short else ("%A", "%B")

    def words(value: date, *parts: str) -> str:
        return " ".join(f"{value:{day}} {value.day}" if part == "day" else f"{value:{part}}" for part in parts)

    if start == end:
        return words(start, "day", month, "%Y")
    if start.year != end.year:
        return f"{words(start, 'day', month, '%Y')} to {words(end, 'day', month, '%Y')}"
    if start.month != end.month:
        return f"{words(start, 'day', month)} to {words(end, 'day', month, '%Y')}"
    return f"{words(start, 'day')} to {words(end, 'day', month, '%Y')}"


def when_words(span: DateSpan, today: date) -> str:
    """`starts tomorrow`, `starts in 5 days`, `on now` (from its first day), `on now (last day)`, `ended`."""
    if span.end < today:
        return "ended"
    if span.start <= today:
        return "on now (last day)" if span.end == today else "on now"
    days = (span.start - today).days
    return "starts tomorrow" if days == 1 else f"starts in {days} days"


def mentions(campaign: AwarenessCampaign, texts: list[str]) -> bool:
    """True when any text names the campaign (its name or a short name) as whole words, ignoring case, spacing and
    punctuation (`hate-crime awareness week` names Hate Crime Awareness Week; `SAAWs` does not name SAAW)."""
    haystack = f" {_words(' '.join(texts))} "
    return any(f" {_words(name)} " in haystack for name in campaign.names() if _words(name))


def _words(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text).split()).casefold()


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _month_days(year, month)))
