"""The retention schedule applied: `apply_retention(ctx, dry_run=...)` finds, per class of `[retention]`, what is
older than its period; a run first keeps the yearly report's figures that detail feeds, then removes or makes
anonymous in one database write (which also records the run: counts per class, when, who, never the data), then
changes the files (ledgers, outbox copies, exports, logs), each atomically. The worker can call it daily."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import Field

from ...domain.base import Model
from ...domain.errors import DomainError
from ...storage.collection import Collection
from ..context import AppContext
from .place import Survey
from .places import place
from .retention_class import Due, RetentionClass
from .retention_db import DATABASE_CLASSES
from .retention_files import FILE_CLASSES

CLASSES: tuple[RetentionClass, ...] = (*DATABASE_CLASSES, *FILE_CLASSES)
UNSCHEDULED = {
    "suppressions": "kept: the hashes honour opt-outs, bounces and erasures, and hold no address",
    "backups": "kept by the storage layer 30 days at most (newest 5, and one a day for 7 days), then pruned",
    "partner_contacts": "kept while the partner writes from them: staff edit them with `partners`",
}
"""Places no class of the schedule removes, and why (the dry run and the audit say so)."""
HISTORY_TABLE = "retention_runs"


class RetentionRun(Model):
    """What one run did: counts only."""

    id: str
    at: datetime
    by: str = ""
    counts: dict[str, int] = Field(default_factory=dict, description="class name -> records removed or anonymised")
    kept: dict[str, int] = Field(default_factory=dict, description="figures kept for the report")
    finished_at: datetime | None = Field(default=None, description="None: the files step did not finish")
    busy: list[str] = Field(default_factory=list, description="ledgers left for the next run (campaign running)")


@dataclass
class ClassResult:
    name: str
    setting: str
    period: str
    after: str
    action: str
    done: str
    count: int
    oldest: datetime | None
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"slug": self.setting, "title": self.name, "status": "due" if self.count else "nothing due",
                "period": self.period, "after": self.after, "action": self.action, "count": self.count,
                "oldest": self.oldest.isoformat() if self.oldest else None, "places": self.counts}


@dataclass
class KeptNote:
    place: str
    why: str
    survey: Survey


@dataclass
class RetentionResult:
    """What would go (`dry_run`) or went, by class, oldest first; what the schedule keeps, and why."""

    at: datetime
    dry_run: bool
    classes: list[ClassResult]
    kept: list[KeptNote]
    run: RetentionRun | None = None

    @property
    def total(self) -> int:
        return sum(c.count for c in self.classes)

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "dry_run": self.dry_run, "total": self.total,
                "classes": [c.as_json() for c in self.classes],
                "kept": [{"place": k.place, "why": k.why, "count": k.survey.count, "unit": k.survey.unit,
                          "oldest": k.survey.oldest.isoformat() if k.survey.oldest else None, "note": k.survey.note}
                         for k in self.kept],
                "run": self.run.model_dump(mode="json") if self.run else None}


def history(ctx: AppContext) -> Collection[RetentionRun]:
    return ctx.store.collection(HISTORY_TABLE, RetentionRun, lambda run: run.id)


def retention_runs(ctx: AppContext) -> list[RetentionRun]:
    """Every run, oldest first."""
    return sorted(history(ctx), key=lambda run: run.at)


def apply_retention(ctx: AppContext, *, dry_run: bool) -> RetentionResult:
    """Find (and unless `dry_run`, remove or make anonymous) everything older than its class's period."""
    now = ctx.clock.now()
    if dry_run:
        return _result(ctx, now, [(c, c.find(ctx, c.cutoff(ctx, now))) for c in CLASSES], None, dry_run=True)
    if ctx.store.read_only:
        raise DomainError(f"{ctx.data_dir} is open read-only ({ctx.store.db.read_only_reason}); the retention "
                          "schedule needs to write")
    with ctx.store.transaction():  # one write: figures kept, records removed, the run recorded
        found = [(c, c.find(ctx, c.cutoff(ctx, now))) for c in CLASSES]
        if not any(due.total for _, due in found):
            return _result(ctx, now, found, None, dry_run=False)  # nothing due: nothing written, no run recorded
        for retention_class, due in found:
            retention_class.keep(ctx, due, now)
        for retention_class, due in found:
            retention_class.apply_db(ctx, due, now)
        counts = {c.name: due.total for c, due in found if due.total}
        files_due = any(due.total for c, due in found if c.has_files)
        run = RetentionRun(id=f"retention-{now:%Y%m%d-%H%M%S-%f}", at=now, by=ctx.store.db.author or ctx.operator,
                           counts=counts, kept={key: value for _, due in found for key, value in due.payload.items()
                                                if key.startswith("kept_") and value},
                           finished_at=None if files_due else now)
        history(ctx).put(run)
    if files_due:
        for retention_class, due in found:
            retention_class.apply_files(ctx, due)
        with ctx.store.transaction():  # the files are done: the run says so, with what was actually done
            run = run.model_copy(update={"finished_at": ctx.clock.now(), "busy": [b for _, d in found for b in d.busy],
                                         "counts": {c.name: due.total for c, due in found if due.total}})
            history(ctx).put(run)
    return _result(ctx, now, found, run, dry_run=False)


def _result(ctx: AppContext, now: datetime, found: list[tuple[RetentionClass, Due]], run: RetentionRun | None, *,
            dry_run: bool) -> RetentionResult:
    classes = [ClassResult(c.name, c.setting, c.period_text(ctx), c.after, c.action, c.done, due.total, due.oldest,
                           dict(due.counts)) for c, due in found]
    classes.sort(key=lambda c: (c.oldest is None, c.oldest or now))
    kept = [KeptNote(name, why, place(name).survey(ctx)) for name, why in UNSCHEDULED.items()]
    return RetentionResult(now, dry_run, classes, kept, run)


def retention_of(place_name: str) -> list[RetentionClass]:
    """The classes of the schedule that remove or anonymise records in this place."""
    return [c for c in CLASSES if place_name in c.places]
