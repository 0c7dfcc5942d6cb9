"""One class of the retention schedule: which setting sets its period, which places it touches, how it finds what is
due, and the three steps of a run (keep the figures it feeds, change the database, change the files)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..context import AppContext

MARKER = "(removed under the retention schedule)"
"""What replaces free text, a subject or a change's detail that the schedule removed."""


@dataclass
class Due:
    """What one class would remove or make anonymous now: a count per place, the oldest date, and what the steps
    need (record ids, files)."""

    counts: dict[str, int] = field(default_factory=dict)
    oldest: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    busy: list[str] = field(default_factory=list)
    """Files left for a later run (a ledger whose campaign was sending)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def found(self, place: str, count: int, moments: Sequence[datetime | None]) -> None:
        self.counts[place] = self.counts.get(place, 0) + count
        dated = [m for m in moments if m is not None]
        if dated and (self.oldest is None or min(dated) < self.oldest):
            self.oldest = min(dated)


def _nothing(ctx: AppContext, due: Due, now: datetime) -> None:
    return None


def _no_files(ctx: AppContext, due: Due) -> None:
    return None


@dataclass(frozen=True)
class RetentionClass:
    name: str
    setting: str
    """The `[retention]` field that sets the period: `…_months` or `…_days`."""
    after: str
    """What the period counts from, as the schedule says it ("after the session's last date")."""
    action: str
    """What happens to what is due, in a sentence."""
    done: str
    """The same in two or three words, after "would be" or "were" ("removed", "made anonymous")."""
    places: tuple[str, ...]
    find: Callable[[AppContext, datetime], Due]
    """(context, cutoff) -> what is older than the cutoff."""
    keep: Callable[[AppContext, Due, datetime], None] = _nothing
    """Keep the report's figures this detail feeds (inside the write, before anything is removed)."""
    apply_db: Callable[[AppContext, Due, datetime], None] = _nothing
    apply_files: Callable[[AppContext, Due], None] = _no_files
    """After the write: each file atomically; adjusts `due.counts` to what was done, names busy files."""

    @property
    def has_files(self) -> bool:
        return self.apply_files is not _no_files

    def period(self, ctx: AppContext) -> int:
        return int(getattr(ctx.settings.retention, self.setting))

    def period_text(self, ctx: AppContext) -> str:
        value, unit = self.period(ctx), self.setting.rpartition("_")[2]
        return f"{value} {unit[:-1] if value == 1 else unit}"

    def cutoff(self, ctx: AppContext, now: datetime) -> datetime:
        if self.setting.endswith("_days"):
            return now - timedelta(days=self.period(ctx))
        return months_before(now, self.period(ctx))


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter month)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))
