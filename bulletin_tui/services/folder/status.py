"""The data folder at a glance for whoever runs `serve`: the last save and who made it, the inbound journal and how
many requests wait in it, the applier's last run, the worker (what it did last, what is next). `bulletin-tui status`
prints it; the terminal app shows it (command palette)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ...config import Settings
from ...domain.followup import size_text
from ...storage.database import DB_NAME
from ...storage.generation import Generation, read_generation
from ...storage.journal import journal_path
from ..web.applier_status import ApplierOutcome, read_outcome
from ..worker import status as worker_status


@dataclass(frozen=True)
class Status:
    data_dir: Path
    has_database: bool
    last_save: Generation | None
    journal: Path
    journal_bytes: int
    pending: int | None
    applier: ApplierOutcome | None
    worker: list[str]
    """The worker's headline, then one line per job (services.worker.status.describe)."""
    worker_json: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        save = self.last_save
        return {
            "data_dir": str(self.data_dir), "database": self.has_database,
            "last_save": None if save is None else {"number": save.number, "by": save.by, "at": save.at},
            "journal": {"path": str(self.journal), "bytes": self.journal_bytes, "pending": self.pending},
            "applier": None if self.applier is None else self.applier.as_json(),
            "worker": self.worker_json,
        }

    def lines(self) -> list[str]:
        save = self.last_save
        pending = "unknown (no database)" if self.pending is None else f"{self.pending} pending"
        return [
            f"Data folder: {self.data_dir}" + ("" if self.has_database else " (no database)"),
            f"Last save: #{save.number} by {save.by} at {save.at}" if save else "Last save: not recorded",
            f"Journal: {self.journal} ({size_text(self.journal_bytes)}), {pending}",
            f"Applier: {applier_line(self.applier)}",
            f"Worker: {self.worker[0]}", *(f"  {line}" for line in self.worker[1:]),
        ]


def applier_line(outcome: ApplierOutcome | None) -> str:
    if outcome is None:
        return "has not run (serve applies the journal; so does any command that changes something)"
    if outcome.ok:
        return f"last run {outcome.at}: ok"
    code = "did not finish" if outcome.exit_code is None else f"exit {outcome.exit_code}"
    return f"FAILED at {outcome.at} ({code}): {outcome.message or 'no message'}"


def worker_json(data_dir: Path, now: datetime) -> dict[str, Any] | None:
    found = worker_status.read_status(data_dir)
    if found is None:
        return None
    healthy, line = worker_status.health(data_dir, now)
    return {**found.as_json(), "healthy": healthy, "health": line}


def folder_status(data_dir: Path, pending: int | None, now: datetime) -> Status:
    """The status of a data folder; `pending` is the number of journal entries not yet applied (None: unknown)."""
    journal = journal_path(data_dir)
    return Status(data_dir=data_dir, has_database=(data_dir / DB_NAME).exists(),
                  last_save=read_generation(data_dir / DB_NAME), journal=journal,
                  journal_bytes=journal.stat().st_size if journal.exists() else 0, pending=pending,
                  applier=read_outcome(data_dir), worker=worker_status.describe(data_dir, now),
                  worker_json=worker_json(data_dir, now))


def pending_requests(settings: Settings) -> int | None:
    """Journal entries not yet applied: 0 without a journal, None without a database to compare with (the
    database is opened read-only only when there is a journal)."""
    journal = journal_path(settings.data_dir)
    if not journal.exists() or journal.stat().st_size == 0:
        return 0
    if not (settings.data_dir / DB_NAME).exists():
        return None
    from ..context import open_context
    from ..web.journal_apply import pending_entries

    with open_context(settings, read_only=True) as opened:
        return len(pending_entries(opened))


def settings_folder_status(settings: Settings, now: datetime) -> Status:
    """The status of the settings' data folder, with the requests not yet applied counted."""
    return folder_status(settings.data_dir, pending_requests(settings), now)
