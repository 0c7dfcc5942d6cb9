"""`bulletin-tui status`: the data folder at a glance for whoever runs `serve` (the last save and who made it, the
inbound journal, the applier's last run, the worker: what it did last and what is next). Reads only; the database is
opened (read-only) only to count pending requests. `status --worker` is the worker's health check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.clock import SystemClock
from ..domain.followup import size_text
from ..services.worker import status as worker_status
from ..storage.database import DB_NAME
from ..storage.generation import Generation, read_generation
from ..storage.journal import journal_path
from ..web.applier import ApplierOutcome, read_outcome
from .common import fail, print_json, state


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

    def as_json(self) -> dict[str, Any]:
        save = self.last_save
        return {
            "data_dir": str(self.data_dir), "database": self.has_database,
            "last_save": None if save is None else {"number": save.number, "by": save.by, "at": save.at},
            "journal": {"path": str(self.journal), "bytes": self.journal_bytes, "pending": self.pending},
            "applier": None if self.applier is None else self.applier.as_json(),
            "worker": _worker_json(self.data_dir),
        }

    def lines(self) -> list[str]:
        save = self.last_save
        pending = "unknown (no database)" if self.pending is None else f"{self.pending} pending"
        return [
            f"Data folder: {self.data_dir}" + ("" if self.has_database else " (no database)"),
            f"Last save: #{save.number} by {save.by} at {save.at}" if save else "Last save: not recorded",
            f"Journal: {self.journal} ({size_text(self.journal_bytes)}), {pending}",
            f"Applier: {_applier_line(self.applier)}",
            f"Worker: {self.worker[0]}", *(f"  {line}" for line in self.worker[1:]),
        ]


def _worker_json(data_dir: Path) -> dict[str, Any] | None:
    found = worker_status.read_status(data_dir)
    if found is None:
        return None
    healthy, line = worker_status.health(data_dir, SystemClock().now())
    return {**found.as_json(), "healthy": healthy, "health": line}


def _applier_line(outcome: ApplierOutcome | None) -> str:
    if outcome is None:
        return "has not run (serve applies the journal; so does any command that changes something)"
    if outcome.ok:
        return f"last run {outcome.at}: ok"
    code = "did not finish" if outcome.exit_code is None else f"exit {outcome.exit_code}"
    return f"FAILED at {outcome.at} ({code}): {outcome.message or 'no message'}"


def _pending(ctx: typer.Context, journal: Path, has_database: bool) -> int | None:
    """Journal entries not yet applied: 0 without a journal, None without a database to compare with."""
    if not journal.exists() or journal.stat().st_size == 0:
        return 0
    if not has_database:
        return None
    from ..services.context import open_context
    from ..services.web.journal_apply import pending_entries

    with open_context(state(ctx).settings, read_only=True) as opened:
        return len(pending_entries(opened))


def read_status(ctx: typer.Context) -> Status:
    data_dir = state(ctx).settings.data_dir
    journal = journal_path(data_dir)
    has_database = (data_dir / DB_NAME).exists()
    return Status(data_dir=data_dir, has_database=has_database, last_save=read_generation(data_dir / DB_NAME),
                  journal=journal,
                  journal_bytes=journal.stat().st_size if journal.exists() else 0,
                  pending=_pending(ctx, journal, has_database), applier=read_outcome(data_dir),
                  worker=worker_status.describe(data_dir, SystemClock().now()))


def status(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Machine-readable status.")]
           = False, worker: Annotated[bool, typer.Option("--worker", help=(
               "Only the worker's health, in one line: exit 0 while a worker runs here with a heartbeat younger "
               "than 120 s, else 1 (a healthcheck)."))] = False) -> None:
    """The data folder, its last save, the web journal, its applier and the worker.

    The worker: its pid and heartbeat, then each job's last run (when, how it went) and when it is next due.

    Exit 0, or 1 when the applier's last run failed; with --worker, 1 when no healthy worker runs."""
    if worker:
        healthy, line = worker_status.health(state(ctx).settings.data_dir, SystemClock().now())
        if not healthy:
            fail(line)
        typer.echo(line)
        return
    found = read_status(ctx)
    if as_json:
        print_json(found.as_json())
    else:
        for line in found.lines():
            typer.echo(line)
    raise typer.Exit(1 if found.applier is not None and not found.applier.ok else 0)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
