"""Read the rule language of the awareness calendar (docs/awareness-calendar.md) and a year's actual dates.

`parse_rule("third Monday of November for 7 days")`, `parse_rule("25 Nov to 10 Dec")`, `parse_rule("January")`,
`parse_rule("second week of October")`; `parse_span("15-21 November", 2021)`. A mistake is a `DomainError` of one
line that quotes the rule and names the word that is wrong.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from .awareness import MAX_DAYS, MONTHS, WEEKDAYS, DateSpan, Rule, RuleKind
from .errors import DomainError, describe_validation_error
from .times import parse_date

EXAMPLES = "e.g. 'January', '25 Nov to 10 Dec', 'third Monday of November for 7 days', 'second week of October'"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_FIFTH = {"fifth", "5th"}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_DAY_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_NTH_RE = re.compile(r"(\S+) (\S+) (?:of|in) (\S+)(?: for (\S+) (\S+))?")


def normalise(text: str) -> str:
    """Lower case, single spaces, dashes and 'until' read as 'to', no commas or leading 'the'/'from'."""
    text = " ".join(text.replace(",", " ").split()).lower()
    text = re.sub(r"\s*[–—]\s*|\s+-\s+|\s+until\s+|\s+through\s+", " to ", text)
    text = re.sub(
        r"(?<![\w-])(\d{1,2})(?:st|nd|rd|th)?-(?=\d{1,2}(?:st|nd|rd|th)?(?: |$))", r"\1 to ", text
    )  # 15-21 Nov
    return re.sub(r"^(?:the |from )", "", text)


def month_number(word: str, quoted: str) -> int:
    """`November`, `Nov`, `sept` -> 11, 11, 9; else an error naming the word."""
    key = word.lower().rstrip(".")
    for number, name in enumerate(MONTHS, start=1):
        if key == name.lower() or (len(key) >= 3 and name.lower().startswith(key)):
            return number
    raise DomainError(f"{quoted}: '{word}' is not a month (January to December, or Jan to Dec)")


def weekday_number(word: str, quoted: str) -> int:
    key = word.lower()
    for number, name in enumerate(WEEKDAYS):
        if key == name.lower() or (len(key) >= 3 and name.lower().startswith(key)):
            return number
    raise DomainError(f"{quoted}: '{word}' is not a day of the week (Monday to Sunday)")


def parse_rule(text: str) -> Rule:
    """One rule from its words; see the module docstring for the forms."""
    quoted = f"rule '{text.strip()}'"
    words = normalise(text)
    if not words:
        raise DomainError(f"the rule is empty ({EXAMPLES})")
    whole_month = re.fullmatch(r"(?:all of |the whole of |whole of )?([a-z.]+)", words)
    if whole_month:
        return _rule(quoted, kind=RuleKind.MONTH, month=month_number(whole_month[1], quoted))
    nth = _NTH_RE.fullmatch(words)
    if nth:
        return _nth_rule(quoted, *nth.groups())
    if " to " in words:
        start, end = _day_months(words, quoted)
        return _rule(quoted, kind=RuleKind.DAYS, month=start[1], day=start[0], end_month=end[1], end_day=end[0])
    raise DomainError(f"cannot read {quoted} ({EXAMPLES})")


def _nth_rule(quoted: str, ordinal: str, what: str, month_word: str, count: str | None, unit: str | None) -> Rule:
    if ordinal in _FIFTH:
        raise DomainError(f"{quoted}: not every month has a fifth one; say 'last' instead")
    if ordinal not in _ORDINALS:
        raise DomainError(f"{quoted}: '{ordinal}' is not first, second, third, fourth or last")
    month = month_number(month_word, quoted)
    if what == "week":
        if count is not None:
            raise DomainError(
                f"{quoted}: a week is always seven days (Monday to Sunday); use a weekday rule "
                "such as 'second Saturday of October for 8 days' for another length"
            )
        return _rule(quoted, kind=RuleKind.WEEK, month=month, nth=_ORDINALS[ordinal])
    weekday = weekday_number(what, quoted)
    days = 1 if count is None else _duration(count, unit or "", quoted)
    return _rule(quoted, kind=RuleKind.WEEKDAY, month=month, nth=_ORDINALS[ordinal], weekday=weekday, days=days)


def _duration(count: str, unit: str, quoted: str) -> int:
    number = _NUMBER_WORDS.get(count, int(count) if count.isdigit() else None)
    if number is None:
        raise DomainError(f"{quoted}: '{count}' is not a number of days or weeks")
    if unit not in ("day", "days", "week", "weeks"):
        raise DomainError(f"{quoted}: '{unit}' is not days or weeks")
    days = number * (7 if unit.startswith("week") else 1)
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"{quoted}: a campaign lasts 1 to {MAX_DAYS} days, not {days}")
    return days


def _day_months(words: str, quoted: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """`25 nov to 10 dec` or `15 to 21 november` -> ((25, 11), (10, 12)); the first month may be left out."""
    first, _, second = words.partition(" to ")
    end = _day_month(second, quoted, None)
    return _day_month(first, quoted, end[1]), end


def _day_month(part: str, quoted: str, default_month: int | None) -> tuple[int, int]:
    pieces = part.split()
    if len(pieces) == 2 and _DAY_RE.fullmatch(pieces[1]) and not _DAY_RE.fullmatch(pieces[0]):
        pieces.reverse()  # `Dec 20`
    day_match = _DAY_RE.fullmatch(pieces[0]) if pieces else None
    if day_match is None or len(pieces) > 2 or (len(pieces) == 1 and default_month is None):
        raise DomainError(f"{quoted}: '{part}' is not a day and month (e.g. 25 Nov)")
    month = month_number(pieces[1], quoted) if len(pieces) == 2 else default_month
    assert month is not None
    day = int(day_match[1])
    if not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise DomainError(f"{quoted}: {MONTHS[month - 1]} has no day {day}")
    return day, month


def _rule(quoted: str, **fields: object) -> Rule:
    try:
        return Rule.model_validate(fields)
    except ValidationError as exc:
        raise DomainError(f"{quoted}: {describe_validation_error(exc)}") from None


def parse_span(text: str, year: int | None) -> DateSpan:
    """A year's actual dates: `15-21 November`, `28 Dec to 3 Jan` (with `year`, the year it starts), or full dates
    `2021-11-15 to 2021-11-21` / `15/11/2021 to 21/11/2021` (which must start in `year` when it is given)."""
    quoted = f"dates '{text.strip()}'"
    words = normalise(text)
    first, separator, second = words.partition(" to ")
    try:
        start, end = (parse_date(first), parse_date(second)) if separator else (parse_date(words),) * 2
    except DomainError:
        start, end = _relative_dates(words, quoted, year)
    if year is not None and start.year != year:
        raise DomainError(f"{quoted} start in {start.year}, not in {year}")
    try:
        return DateSpan(start=start, end=end)
    except ValidationError as exc:
        raise DomainError(f"{quoted}: {describe_validation_error(exc)}") from None


def _relative_dates(words: str, quoted: str, year: int | None) -> tuple[date, date]:
    if year is None:
        raise DomainError(f"{quoted}: give the year (--year) or full dates such as 2021-11-15 to 2021-11-21")
    if " to " not in words:
        day, month = _day_month(words, quoted, None)
        return _date(year, month, day, quoted), _date(year, month, day, quoted)
    (day, month), (end_day, end_month) = _day_months(words, quoted)
    end_year = year + 1 if (end_month, end_day) < (month, day) else year
    return _date(year, month, day, quoted), _date(end_year, end_month, end_day, quoted)


def _date(year: int, month: int, day: int, quoted: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DomainError(f"{quoted}: {day} {MONTHS[month - 1]} {year} does not exist") from None
