"""`bulletin-tui worker`: the long-running process that does what is due (docs/worker.md)."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Annotated

import typer

from ..services.context import AppContext, open_context
from ..services.folder.fresh import is_brand_new
from .common import fail, state

WORKER_HELP = """Do what is due (queue, scheduled sends, reminders, mailbox, journal, backup) until stopped.

Each job runs once even across a crash; SIGTERM or Ctrl-C stops the worker (exit 0).

Jobs (intervals in the [worker] settings): apply the web journal (15 s), send queued session mail and web confirmations (30 s), queue session reminders at the offsets of each session's kind (5 min), send scheduled sends when due (15 s; `send ISSUE --at ...`), fetch the team mailbox when [imap] is set (15 min), keep one backup a day.

One worker per data folder (a second exits 1 naming the first). One line per job run in DATA/logs/worker.log; pid, heartbeat and each job's last and next run in DATA/worker/status.json (`bulletin-tui status`, `status --worker`). A send running at SIGTERM pauses between messages; the next worker resumes it from its ledger."""  # noqa: E501


def register(app: typer.Typer) -> None:
    @app.command("worker", help=WORKER_HELP)
    def worker_command(
        ctx: typer.Context,
        once: Annotated[bool, typer.Option("--once", help="Do every job once, now, then exit (cron, tests).")]
        = False,
    ) -> None:
        stop_signals = _catch_stop_signals()  # from the first moment: a stop while starting still exits 0
        from ..services.worker.lock import WorkerBusyError, WorkerLock
        from ..services.worker.run import run_worker

        app_ctx = _open(ctx)
        lock = WorkerLock(app_ctx.data_dir)
        try:
            lock.acquire(app_ctx.clock.now().isoformat(timespec="seconds"))
        except WorkerBusyError as exc:
            fail(str(exc))
        try:
            typer.echo(f"Worker for {app_ctx.data_dir} (pid {os.getpid()}): log in logs/worker.log, status in "
                       "worker/status.json; SIGTERM or Ctrl-C stops it", err=True)
            asyncio.run(run_worker(app_ctx, once=once, stopped=lambda: bool(stop_signals)))
            typer.echo("Worker stopped", err=True)
        finally:
            lock.release()
            app_ctx.close()


def _open(ctx: typer.Context) -> AppContext:
    """The data folder, opened as any writing command opens it (a brand-new folder gets a database), its saves
    signed "(worker)"; web requests waiting in the journal are left to the journal job (which logs them)."""
    cli_state = state(ctx)
    fresh = is_brand_new(cli_state.settings.data_dir)
    opened = open_context(cli_state.settings, create=cli_state.create or fresh, role="worker")
    for notice in opened.store.db.notices:
        typer.echo(f"bulletin-tui: {notice}", err=True)
    return opened


def _catch_stop_signals() -> list[int]:
    """Note SIGTERM and SIGINT until the worker's loop takes them over (then it stops at once, exit 0)."""
    caught: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: caught.append(number))
    return caught
