"""A closing date stated plainly in free text: "closing date: 31 January 2027", "bids close on 12/02/2027",
"deadline is Friday 5th March", "apply by 2027-03-05". Day first, as written in the UK."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_WORDS = re.compile(rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CUE = re.compile(
    r"\b(closing date|closes?|closing|deadline|apply by|applications? by|submit(?:ted)? by"
    r"|submissions? by|bids? by|no later than|register by|book by|respond by|by midnight on)\b",
    re.I,
)
_WINDOW = 80


def _from_words(found: re.Match[str], reference: date | None) -> date | None:
    day, month = int(found.group(1)), _MONTHS[found.group(2).lower()]
    if found.group(3):
        return _safe(int(found.group(3)), month, day)
    if reference is None:
        return None
    this_year = _safe(reference.year, month, day)
    if this_year is not None and this_year >= reference:
        return this_year
    return _safe(reference.year + 1, month, day)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _first_date(text: str, reference: date | None) -> tuple[int, date] | None:
    candidates: list[tuple[int, date | None]] = []
    candidates += [(m.start(), _from_words(m, reference)) for m in _WORDS.finditer(text)]
    for m in _NUMERIC.finditer(text):
        year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        candidates.append((m.start(), _safe(year, int(m.group(2)), int(m.group(1)))))
    candidates += [(m.start(), _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))) for m in _ISO.finditer(text)]
    found = sorted((at, when) for at, when in candidates if when is not None)
    return found[0] if found else None


def closing_date(text: str, reference: date | None = None) -> date | None:
    """The first date written soon after a closing cue ("closing date", "deadline", "apply by" …) in the same
    sentence; a date without a year is the next one on or after `reference` (the day the message was sent)."""
    flat = " ".join(text.split())
    for cue in _CUE.finditer(flat):
        window = flat[cue.end() : cue.end() + _WINDOW]
        sentence = re.split(r"(?<=[a-z0-9)])\.\s+[A-Z]|[!?]\s", window)[0]
        found = _first_date(sentence, reference)
        if found is not None:
            return found[1]
    return None
