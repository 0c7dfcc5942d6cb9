"""Europe/London local times (with the spring-forward gap and fall-back overlap) and British formats."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import DomainError

LONDON = ZoneInfo("Europe/London")


class NonexistentTimeError(DomainError):
    """The clocks go forward over this time; it never happens in London."""


class AmbiguousTimeError(DomainError):
    """The clocks go back over this time; it happens twice in London."""


def london_time(naive: datetime, *, fold: int | None = None) -> datetime:
    """Attach Europe/London to a wall-clock time; refuse times that do not exist or occur twice.

    `fold=0` picks the first (BST) occurrence of an ambiguous time, `fold=1` the second (GMT).
    """
    if naive.tzinfo is not None:
        return naive.astimezone(LONDON)
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    round_trip = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    if round_trip != naive:
        after = (first.astimezone(UTC)).astimezone(LONDON)
        raise NonexistentTimeError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in London (clocks go forward); "
            f"did you mean {after:%H:%M} BST?"
        )
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise AmbiguousTimeError(
                f"{naive:%Y-%m-%d %H:%M} happens twice in London (clocks go back); "
                "say which: the first (BST) or the second (GMT)"
            )
        return second if fold else first
    return first


def parse_local(text: str, *, fold: int | None = None) -> datetime:
    """Parse `YYYY-MM-DD HH:MM` (or a day-first date with a time) as London wall-clock time."""
    text = text.strip()
    day, _, clock = text.rpartition(" ")
    if not day:
        raise DomainError(f"'{text}' needs a date and a time, e.g. 2024-06-20 12:30")
    the_date = parse_date(day)
    hours, minutes = parse_clock(clock)
    return london_time(datetime(the_date.year, the_date.month, the_date.day, hours, minutes), fold=fold)


def parse_clock(text: str) -> tuple[int, int]:
    """`12:30`, `12.30`, `12.30 pm`, `1pm` -> (hours, minutes)."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?\s*", text.lower())
    if not match:
        raise DomainError(f"'{text}' is not a time (use HH:MM, e.g. 12:30)")
    hours, minutes = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hours <= 12:
            raise DomainError(f"'{text}' is not a 12-hour time")
        hours = hours % 12 + (12 if match[3].startswith("p") else 0)
    if hours > 23 or minutes > 59:
        raise DomainError(f"'{text}' is not a time of day")
    return hours, minutes


def parse_date(text: str) -> date:
    """ISO `2024-06-20` or day-first `20/06/2024`, `25.10.21`, `20-06-2024`."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    day_first = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})", text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            year = int(day_first[3])
            year += 2000 if year < 100 else 0
            return date(year, int(day_first[2]), int(day_first[1]))
    except ValueError as exc:
        raise DomainError(f"'{text}' is not a real date ({exc})") from None
    raise DomainError(f"'{text}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def british_date(value: date | datetime) -> str:
    """`Thursday 20 June 2024`."""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return f"{value:%A} {value.day} {value:%B %Y}"


def british_clock(value: datetime) -> str:
    """`12.30 pm`, `1 pm`, `12 noon`."""
    local = value.astimezone(LONDON)
    if local.hour == 12 and local.minute == 0:
        return "12 noon"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}.{local.minute:02d} {suffix}" if local.minute else f"{hour} {suffix}"


def zone_name(value: datetime) -> str:
    """`BST` or `GMT`: the UK clock in force at that instant."""
    return "BST" if value.astimezone(LONDON).dst() else "GMT"


def in_repeated_hour(value: datetime) -> bool:
    """True in the hour the clocks go back over (it happens twice, so a bare wall-clock time is ambiguous)."""
    local = value.astimezone(LONDON)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def needs_zones(start: datetime, end: datetime) -> bool:
    """The clocks change between start and end, or either falls in the repeated hour."""
    offsets = {start.astimezone(LONDON).utcoffset(), end.astimezone(LONDON).utcoffset()}
    return len(offsets) > 1 or in_repeated_hour(start) or in_repeated_hour(end)


def british_clock_range(start: datetime, end: datetime) -> str:
    """`12.30 pm to 1.30 pm`; across a clock change `1.30 am BST to 2.30 am GMT` (which lasts two hours)."""
    if needs_zones(start, end):
        return f"{british_clock(start)} {zone_name(start)} to {british_clock(end)} {zone_name(end)}"
    return f"{british_clock(start)} to {british_clock(end)}"


def uk_time_range(start: datetime, end: datetime) -> str:
    """`12.30 pm to 1.30 pm (UK time)`, or the zones on both ends when they are needed."""
    clocks = british_clock_range(start, end)
    return clocks if needs_zones(start, end) else f"{clocks} (UK time)"


def short_local(moment: datetime, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """London wall-clock time in `fmt`, with BST/GMT added in the hour the clocks go back (it happens twice)."""
    local = moment.astimezone(LONDON)
    return f"{local:{fmt}} {zone_name(moment)}" if in_repeated_hour(moment) else f"{local:{fmt}}"


def british_range(start: datetime, end: datetime) -> str:
    """`Thursday 20 June 2024, 12.30 pm to 1.30 pm` (zones on both ends across a clock change)."""
    return f"{british_date(start)}, {british_clock_range(start, end)}"


def financial_year(label: str) -> tuple[date, date]:
    """`2024/25` -> (1 April 2024, 31 March 2025) inclusive."""
    match = re.fullmatch(r"(\d{4})/(\d{2})", label.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise DomainError(f"'{label}' is not a financial year (use e.g. 2024/25)")
    start = date(int(match[1]), 4, 1)
    return start, date(start.year + 1, 4, 1) - timedelta(days=1)


def financial_year_of(day: date) -> str:
    """The `YYYY/YY` financial year a date falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def london_midnight(day: date) -> datetime:
    """The instant a London day begins."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)
