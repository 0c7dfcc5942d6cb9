"""The worker's loop: each job runs when it is due (at most one run of a job at a time; a long send does not hold
up the journal or the queue), a heartbeat rewrites `worker/status.json` every few seconds whatever runs, and a
stop request (SIGTERM, Ctrl-C) pauses a running send between messages, ends the other jobs, and returns."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...sending.scrub import without_addresses
from ...storage.errors import StorageError
from ..context import AppContext
from .joblog import JobLog
from .status import JobState, WorkerStatus, read_status, write_status

STOP_GRACE_S = 60.0
"""How long a stop waits for the send in hand to finish its messages in flight before it gives up on it."""
LONGEST_NAP_S = 1.0


@dataclass
class Job:
    name: str
    run: Callable[[], Awaitable[str]]
    every: timedelta
    next_due: datetime
    enabled: bool = True
    off_reason: str = ""
    after: Callable[[datetime], datetime] | None = None
    """When it is next due after a run that ended at the given moment (default: `every` later)."""
    state: JobState = field(default_factory=JobState)
    task: asyncio.Task[None] | None = None


class Worker:
    def __init__(self, ctx: AppContext, jobs: list[Job], log: JobLog, *, heartbeat_s: float, started: datetime,
                 on_stop: Callable[[], None] = lambda: None) -> None:
        self.ctx, self.jobs, self.log, self.heartbeat_s = ctx, jobs, log, heartbeat_s
        self.status = WorkerStatus(pid=os.getpid(), started=_stamp(started), heartbeat=_stamp(started))
        self._on_stop = on_stop
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        for job in jobs:
            job.state.enabled, job.state.outcome = job.enabled, (job.off_reason if not job.enabled else "")
            self.status.jobs[job.name] = job.state

    def job(self, name: str) -> Job:
        return next(job for job in self.jobs if job.name == name)

    def wake(self, name: str) -> None:
        """Make a job due now (another job just gave it work)."""
        found = self.job(name)
        found.next_due = min(found.next_due, self.ctx.clock.now())
        self._wake.set()

    def progress(self, text: str) -> None:
        self.status.current = without_addresses(text)

    def request_stop(self) -> None:
        """Stop soon: a running send pauses after the messages in flight (its ledger says who has had it)."""
        if not self._stop.is_set():
            self.status.state = "stopping"
            self._stop.set()
            self._wake.set()
            self._on_stop()

    async def run(self, *, once: bool = False) -> None:
        """Until asked to stop (or, `once`, every enabled job once, in order); the status is written throughout."""
        beat = asyncio.create_task(self._beat())
        try:
            if once:
                for job in self.jobs:
                    if job.enabled and not self._stop.is_set():
                        await self._run(job)
            else:
                await self._loop()
        finally:
            await self._finish_running()
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
            self.status.state = "stopped"
            self._write()

    async def _loop(self) -> None:
        while not self._stop.is_set():
            now = self.ctx.clock.now()
            for job in self.jobs:
                if job.enabled and job.task is None and job.next_due <= now:
                    job.task = asyncio.create_task(self._run(job), name=f"worker job {job.name}")
            idle = [job.next_due for job in self.jobs if job.enabled and job.task is None]
            nap = min([(due - now).total_seconds() for due in idle] + [LONGEST_NAP_S])
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(nap, 0.01))

    async def _run(self, job: Job) -> None:
        started, clock = time.monotonic(), self.ctx.clock
        job.state.running_since = _stamp(clock.now())
        self._write()
        outcome = ""
        try:
            outcome = "ok: " + await job.run()
        except asyncio.CancelledError:
            outcome = "stopped with the worker"
            raise
        except Exception as exc:  # noqa: BLE001 - one job's failure never stops the worker; the next run retries
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            outcome = f"failed: {type(exc).__name__}" + (f": {first}" if first else "")
        finally:
            ended = clock.now()
            job.next_due = job.after(ended) if job.after is not None else ended + job.every
            job.state.last_at, job.state.running_since = _stamp(ended), ""
            job.state.outcome = " ".join(without_addresses(outcome).split())[:500]
            job.state.next_due = _stamp(job.next_due)
            job.task = None
            self.log.line(job.name, job.state.outcome, time.monotonic() - started)
            self._write()

    async def _finish_running(self) -> None:
        """The send in hand stops between messages (`on_stop`); other running jobs are cancelled (a campaign
        finishes its messages in flight first); wait for them all, up to STOP_GRACE_S."""
        running = {job.name: job.task for job in self.jobs if job.task is not None}
        for name, task in running.items():
            if name != "scheduled":
                task.cancel()
        if running:
            done, pending = await asyncio.wait(running.values(), timeout=STOP_GRACE_S)
            for task in pending:
                task.cancel()
            await asyncio.gather(*done, *pending, return_exceptions=True)

    async def _beat(self) -> None:
        while True:
            self._write()
            await asyncio.sleep(self.heartbeat_s)

    def _write(self) -> None:
        self.status.heartbeat = _stamp(self.ctx.clock.now())
        for job in self.jobs:
            if job.enabled and not job.state.next_due:
                job.state.next_due = _stamp(job.next_due)
        with contextlib.suppress(OSError, StorageError):  # a full disk must not stop the jobs; the next beat retries
            write_status(self.ctx.data_dir, self.status)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def previous_next_due(ctx: AppContext, name: str) -> datetime | None:
    """When the last worker here said this job is next due (so a restart does not repeat, e.g., a mailbox fetch)."""
    found = read_status(ctx.data_dir)
    job = found.jobs.get(name) if found is not None else None
    try:
        return datetime.fromisoformat(job.next_due) if job is not None and job.next_due else None
    except ValueError:
        return None
