"""The worker's side of a scheduled send: claim the one that is due (in a write transaction: claimed once), send it
through the campaign handle like `bulletin-tui send` (new, or resumed when its ledger exists: the ledger sends each
recipient once), then record how it ended. A worker killed mid-send leaves it `started`; the next one resumes it."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from ...domain.errors import DomainError
from ...domain.times import short_local
from ...sending.progress import CampaignResult, Progress, RunStatus
from ...sending.runlock import CampaignBusyError
from ...sending.scrub import without_addresses
from ..context import AppContext
from ..mailings.handle import CampaignHandle
from ..mailings.runs import ledger_path, rate_limiter
from .records import ScheduledSend, ScheduleState, scheduled_sends

BUSY_RETRY = timedelta(minutes=1)
"""Another process is sending the campaign (an operator's `send --resume`): look again this much later."""
DAILY_LIMIT = "daily sending limit"


def claim_next(ctx: AppContext, worker: str, skip: Collection[str] = ()) -> ScheduledSend | None:
    """The scheduled send that is due, marked started by this worker run (`worker`); None when none is due. Due:
    scheduled for now or earlier, paused and its retry time has come, or started by a worker run that is gone.
    Those in `skip` (already handled in this round) are left alone."""
    now = ctx.clock.now()
    table = scheduled_sends(ctx)
    with ctx.store.transaction():
        due = [entry for entry in table if entry.id not in skip and _due(entry, now, worker)]
        if not due:
            return None
        entry = min(due, key=lambda e: (e.retry_at or e.at, int(e.id) if e.id.isdigit() else 0))
        resumed = entry.state is not ScheduleState.SCHEDULED
        return table.put(entry.model_copy(update={
            "state": ScheduleState.STARTED, "worker": worker, "pid": os.getpid(), "retry_at": None,
            "started_at": entry.started_at or now, "note": "resumed" if resumed else "started"}))


def _due(entry: ScheduledSend, now: datetime, worker: str) -> bool:
    if entry.state is ScheduleState.SCHEDULED:
        return entry.at <= now
    if entry.state is ScheduleState.PAUSED:
        return entry.retry_at is None or entry.retry_at <= now
    return entry.state is ScheduleState.STARTED and entry.worker != worker


async def send_claimed(
    ctx: AppContext, entry: ScheduledSend, *, paused_retry: timedelta,
    on_handle: Callable[[CampaignHandle | None], None] = lambda handle: None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ScheduledSend:
    """Send (or resume) a claimed send; its record says how it ended: done, paused (tried again later), failed
    (it could not start: nothing was sent) or, stopped with the worker, still started (the next worker resumes)."""
    path = ledger_path(ctx, entry.campaign_id)
    resume = path.exists() and path.stat().st_size > 0
    handle = CampaignHandle(ctx, entry.issue, entry.lists, on_progress=on_progress, resume=resume,
                            force=entry.force, include_already_sent=entry.include_already_sent)
    on_handle(handle)
    now = ctx.clock.now()
    try:
        result = await handle.run()
    except CampaignBusyError:
        return _record(ctx, entry, ScheduleState.PAUSED, retry_at=now + BUSY_RETRY,
                       note=f"{entry.campaign_id} is being sent by another process; looked at again later")
    except DomainError as exc:
        if resume:  # it has begun: a problem now (a list renamed, the disk) is waited out, never "failed"
            return _record(ctx, entry, ScheduleState.PAUSED, retry_at=now + paused_retry, note=f"paused: {exc}")
        return _record(ctx, entry, ScheduleState.FAILED, finished_at=now, note=f"not sent: {exc}")
    except Exception as exc:
        _record(ctx, entry, ScheduleState.PAUSED, retry_at=now + paused_retry,
                note=f"paused by an unexpected {type(exc).__name__}: {exc}")
        raise
    finally:
        on_handle(None)
    return _finished(ctx, entry, result, paused_retry)


def _finished(ctx: AppContext, entry: ScheduledSend, result: CampaignResult, paused_retry: timedelta) -> (
        ScheduledSend):
    now, counts = ctx.clock.now(), dict(result.counts)
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nobody to send to"
    if result.status is RunStatus.COMPLETE:
        return _record(ctx, entry, ScheduleState.DONE, finished_at=now, counts=counts,
                       note=f"complete ({summary} of {result.total})")
    if result.status is RunStatus.STOPPED:  # the worker is stopping: left started for the next one to resume
        return _record(ctx, entry, ScheduleState.STARTED, worker="", counts=counts,
                       note=f"stopped with the worker ({summary} of {result.total}); the next worker resumes it")
    retry = now + paused_retry
    if result.reason.startswith(DAILY_LIMIT):
        limiter = rate_limiter(ctx)
        try:
            retry = now + max(timedelta(seconds=limiter.daily_delay()), BUSY_RETRY)
        finally:
            limiter.close()
    return _record(ctx, entry, ScheduleState.PAUSED, retry_at=retry, counts=counts,
                   note=f"paused: {result.reason} ({summary} of {result.total}); tried again at "
                        f"{short_local(retry, '%Y-%m-%d %H:%M')}")


def _record(ctx: AppContext, entry: ScheduledSend, state: ScheduleState, **update: Any) -> ScheduledSend:
    """Save how the send stands now (the note keeps counts and ids, never an address)."""
    update["note"] = " ".join(without_addresses(str(update.get("note", ""))).split())[:300]
    table = scheduled_sends(ctx)
    with ctx.store.transaction():
        current = table.get(entry.id) or entry
        return table.put(current.model_copy(update={"state": state, **update}))
