"""Time as a collaborator, so tests can fix it.

`SystemClock` is the machine's time, unless the environment variable `BULLETIN_NOW` names an instant: then the
whole process's time starts there when it is first asked and runs on at the normal rate (docs/reproducible-runs.md).
It exists for reproducible runs, demos and tests, which set it once for a process and every process it starts; it
is never read from the settings file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Protocol

from .errors import DomainError

NOW_VARIABLE = "BULLETIN_NOW"
ANCHOR_VARIABLE = "BULLETIN_NOW_ANCHOR"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The machine's time, moved to start at `BULLETIN_NOW` when that is set."""

    def now(self) -> datetime:
        offset = process_offset()  # first: reading it may anchor the instant at this moment
        return datetime.now(UTC) + offset


class FixedClock:
    """A clock that stands still until told to move."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


_offsets: dict[str, timedelta] = {}


def process_offset() -> timedelta:
    """How far this process's time is from the machine's: zero, or fixed when `BULLETIN_NOW` is first read.

    The first process to read it notes the machine time it started from in `BULLETIN_NOW_ANCHOR`, which the
    processes it starts inherit: a parent and its children share one timeline, so stamps written by different
    processes (a send's ledger, the web face's journal) still compare in the order they happened. The anchor keeps
    one start per instant (`start instant;start instant`): a process that reads another `BULLETIN_NOW` for a while
    (a test) adds its own start and leaves the first one's, so children started after it is put back still share
    the first timeline."""
    text = os.environ.get(NOW_VARIABLE, "").strip()
    if not text:
        return timedelta(0)
    if text not in _offsets:
        instant = parse_instant(text)
        anchors = _anchors(os.environ.get(ANCHOR_VARIABLE, ""))
        if text in anchors:
            started = anchors[text]
        else:
            started = datetime.now(UTC)
            anchors[text] = started
            kept = list(anchors.items())[-_ANCHORS_KEPT:]
            os.environ[ANCHOR_VARIABLE] = ";".join(f"{when.timestamp():.6f} {name}" for name, when in kept)
        _offsets[text] = instant - started
    return _offsets[text]


_ANCHORS_KEPT = 16


def _anchors(value: str) -> dict[str, datetime]:
    """The starts noted in `BULLETIN_NOW_ANCHOR`, by instant text (entries that do not read are ignored)."""
    found: dict[str, datetime] = {}
    for entry in value.split(";"):
        stamp, _, instant_text = entry.strip().partition(" ")
        if instant_text and stamp.replace(".", "", 1).isdigit():
            found[instant_text] = datetime.fromtimestamp(float(stamp), UTC)
    return found


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its zone (`2026-11-22T10:00:00Z`, `2027-03-31T23:59+01:00`), in UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise DomainError(f"{NOW_VARIABLE}={text!r} is not an ISO 8601 time with its zone, e.g. 2026-11-22T10:00:00Z")
    return moment.astimezone(UTC)


def check_process_clock() -> None:
    """Refuse a `BULLETIN_NOW` that does not parse, at start-up rather than at the first use of the clock."""
    process_offset()
