"""Reading questionnaire answers: rating words, 1-5 or 1-10 numbers, star ratings; Excel dates and times."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .errors import DomainError

# Word scales, each five points from best (5) to worst (1). A column is read on the scale whose words it uses;
# "Very good" tells the Excellent-Very good-Good-Fair-Poor scale from Excellent-Good-Average-Poor-Very poor.
QUALITY = {
    "excellent": 5,
    "good": 4,
    "average": 3,
    "fair": 3,
    "satisfactory": 3,
    "ok": 3,
    "okay": 3,
    "neither good nor poor": 3,
    "poor": 2,
    "very poor": 1,
}
QUALITY_VERY_GOOD = {"excellent": 5, "very good": 4, "good": 3, "fair": 2, "average": 2, "poor": 1}
AGREEMENT = {
    "strongly agree": 5,
    "agree": 4,
    "neither agree nor disagree": 3,
    "neutral": 3,
    "disagree": 2,
    "strongly disagree": 1,
}
SATISFACTION = {
    "very satisfied": 5,
    "satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neutral": 3,
    "dissatisfied": 2,
    "very dissatisfied": 1,
}
USEFULNESS = {
    "extremely useful": 5,
    "very useful": 4,
    "useful": 4,
    "somewhat useful": 3,
    "moderately useful": 3,
    "slightly useful": 2,
    "not very useful": 2,
    "not at all useful": 1,
    "not useful": 1,
}
WORD_SCALES = (QUALITY, QUALITY_VERY_GOOD, AGREEMENT, SATISFACTION, USEFULNESS)
EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1 January 1900 (with Excel's 1900 leap-year quirk)
STAR = "★"


def answer_key(text: str) -> str:
    """An answer reduced for matching: lower case, single spaces, no trailing full stop."""
    return re.sub(r"\s+", " ", text.strip().lower()).rstrip(".").replace("’", "'")


def word_scale(answers: list[str]) -> dict[str, int] | None:
    """The word scale a column's answers use (numbers and blanks aside): the one that reads most of them, the
    Excellent-Very good-Good-Fair-Poor scale whenever "Very good" appears; None when no answer is a known word.
    An answer the chosen scale does not know is then reported by `read_rating`, naming that answer."""
    words = {answer_key(a) for a in answers if a.strip() and _numeric(a) is None}
    if not words:
        return None
    if "very good" in words:
        return QUALITY_VERY_GOOD
    best = max(WORD_SCALES, key=lambda scale: len(words & set(scale)))  # the first of equals: the usual one
    return best if words & set(best) else None


def number_scale(answers: list[str]) -> tuple[int, int]:
    """(low, high) for the numeric answers of a column: 1-5, unless one is above 5 (1-10), or 0 appears (0-10)."""
    values = [v for v in (_numeric(a) for a in answers) if v is not None]
    low = 0 if any(v == 0 for v in values) else 1
    return (low, 10) if low == 0 or any(v > 5 for v in values) else (1, 5)


def _numeric(text: str) -> int | None:
    """`4`, `4.0`, `4 stars`, `★★★★`, `4/5` -> 4; None when the answer is not a whole number."""
    key = answer_key(text)
    if key and set(key) == {STAR}:
        return len(key)
    match = re.fullmatch(r"(\d{1,2})(?:\.0+)?(?:\s*(?:stars?|/\s*\d{1,2}|out of \d{1,2}))?", key)
    labelled = re.fullmatch(r"(\d{1,2})\s*[-–:=)]\s*[a-z][a-z ']*", key)  # "5 - Excellent", "1) Poor"
    found = match or labelled
    return int(found[1]) if found else None


def explicit_scale(text: str) -> int | None:
    """The top of the scale an answer names itself (`8/10`, `4 out of 5`), if it does."""
    match = re.search(r"(?:/|out of)\s*(\d{1,2})$", answer_key(text))
    return int(match[1]) if match else None


def read_rating(text: str, scale: dict[str, int] | None, numbers: tuple[int, int]) -> tuple[int, int, int]:
    """(points, low, high) for one answer; DomainError (one line, no position) when it is not a rating."""
    value = _numeric(text)
    if value is not None:
        low, high = numbers
        high = explicit_scale(text) or high
        if not low <= value <= high:
            raise DomainError(f"'{text.strip()}' is outside the scale {low}-{high}")
        return value, low, high
    key = answer_key(text)
    if scale is not None and key in scale:
        return scale[key], 1, 5
    raise DomainError(
        f"'{text.strip()[:60]}' is not a rating this tool knows (words such as Excellent, Good, "
        "Poor or Strongly agree, or a number on a 1-5 or 1-10 scale)"
    )


def excel_serial(value: float) -> datetime:
    """An Excel serial date-time (44620.54 = 28 Feb 2022 12:57:36), to the second."""
    if not 1 <= value < 2_958_466:
        raise DomainError(f"{value} is not an Excel date")
    return EXCEL_EPOCH + timedelta(seconds=round(value * 86_400))


def read_datetime(text: str) -> datetime:
    """A naive wall-clock time from `28/02/2022 13:05[:42]`, `2022-02-28T13:05`, a date alone or an Excel serial."""
    text = text.strip()
    if re.fullmatch(r"\d{4,5}(?:\.\d+)?", text):
        return excel_serial(float(text))
    match = re.fullmatch(
        r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ t,]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?"
        r"(?:\.\d+)?\s*(am|pm)?",
        text.lower(),
    )
    if not match:
        raise DomainError(f"'{text[:40]}' is not a date and time (use DD/MM/YYYY HH:MM)")
    first, second, third = (int(match[n]) for n in (1, 2, 3))
    year, month, day = (first, second, third) if len(match[1]) == 4 else (third, second, first)
    year += 2000 if year < 100 else 0
    hour, minute, second_ = int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)
    if match[7]:
        hour = hour % 12 + (12 if match[7] == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second_)
    except ValueError as exc:
        raise DomainError(f"'{text[:40]}' is not a real date and time ({exc})") from None


def as_datetime(value: object) -> datetime:
    """A spreadsheet cell as a naive wall-clock time: a date cell, an Excel serial number or text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(float(value))
    return read_datetime(str(value))
