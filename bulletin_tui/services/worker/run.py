"""`bulletin-tui worker`: one process per data folder that does what is due, each job exactly once across a crash.

Jobs and how often (settings `[worker]`): the web journal, the outbound queue (session mail and web
confirmations), reminders (offsets per session kind), scheduled sends, `inbox fetch` (when [imap] is set), Teams
meetings and attendance (when [teams] is set), the daily retention run and the daily backup. One line per job run
in `logs/worker.log`; pid, heartbeat and each job's last and next run in `worker/status.json`."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from ..context import AppContext
from ..teams.wiring import teams_enabled
from .joblog import JobLog
from .jobs import Jobs, next_london_day
from .lock import WorkerLock
from .loop import Job, Worker, previous_next_due


def build_worker(ctx: AppContext, log: JobLog) -> Worker:
    """The worker over `ctx` with its jobs, all due now (the mailbox fetch when the last worker said it is)."""
    settings, now = ctx.settings.worker, ctx.clock.now()
    worker_id = f"{os.getpid()}@{now.isoformat(timespec='milliseconds')}"
    worker: Worker | None = None

    def wake(name: str) -> None:
        if worker is not None:
            worker.wake(name)

    def progress(text: str) -> None:
        if worker is not None:
            worker.progress(text)

    jobs = Jobs(ctx, worker_id, on_progress=progress, wake=wake)
    imap_on = bool(ctx.settings.imap.host) and settings.inbox_minutes > 0
    inbox_due = previous_next_due(ctx, "inbox") or now
    listed = [
        Job("journal", jobs.journal, timedelta(seconds=settings.journal_seconds), now),
        Job("reminders", jobs.reminders, timedelta(minutes=settings.reminders_minutes), now),
        Job("outbound", jobs.outbound, timedelta(seconds=settings.outbound_seconds), now),
        Job("scheduled", jobs.scheduled, timedelta(seconds=settings.scheduled_seconds), now),
        Job("inbox", jobs.inbox, timedelta(minutes=settings.inbox_minutes), min(inbox_due, now + timedelta(
            minutes=settings.inbox_minutes)), enabled=imap_on,
            off_reason="no [imap] host set" if not ctx.settings.imap.host else "worker.inbox_minutes is 0"),
        Job("teams", jobs.teams, timedelta(minutes=settings.teams_minutes), now, enabled=teams_enabled(ctx.settings),
            off_reason="no [teams] organiser set"),
        Job("retention", jobs.retention, timedelta(minutes=10), now, enabled=settings.retention,
            off_reason="worker.retention is off", after=next_london_day),
        Job("backup", jobs.backup, timedelta(minutes=10), now, enabled=settings.backup,
            off_reason="worker.backup is off", after=next_london_day),
    ]
    worker = Worker(ctx, listed, log, heartbeat_s=settings.heartbeat_seconds, started=now, on_stop=jobs.stop)
    return worker


async def run_worker(ctx: AppContext, *, once: bool = False, stopped: Callable[[], bool] = lambda: False) -> None:
    """Run until SIGTERM or SIGINT (or every job once, with `once`); `stopped` says whether one came before this
    started (the command catches them from its first moment)."""
    import asyncio
    import signal

    log = JobLog(ctx.data_dir, ctx.clock)
    worker = build_worker(ctx, log)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, worker.request_stop)
    if stopped():
        worker.request_stop()
    log.line("worker", f"started (pid {os.getpid()})")
    try:
        await worker.run(once=once)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        log.line("worker", f"stopped (pid {os.getpid()})")
        log.close()


__all__ = ["WorkerLock", "build_worker", "run_worker"]
