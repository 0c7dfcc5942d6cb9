"""Campaigns of separate messages over a long-lived ledger (session mail): each message keyed by its own id, queued
when it is due, sent by the one runner with its ledger, still-wanted check, uncertain state, refusal watch and the
installation's limits. The ledger keeps message ids only; addresses are looked up when it is loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ...locations import ledger_dir
from ...sending.ledger import Ledger, RecipientState, State, fold, read_records, stamp
from ...sending.mailing import Campaign, MessageFactory, ProgressHook, SkipCheck
from ...sending.progress import CampaignResult
from ...sending.ratelimit import RateLimiter
from ...sending.runlock import RunLock
from ...sending.transport import Transport
from ..context import AppContext
from ..mailauth.wiring import transport_for
from .runs import on_fresh_data, rate_limiter, run_options

__all__ = ["KeyedRun", "RateLimiter", "Transport", "ledger_states", "run_keyed"]


@dataclass
class KeyedRun:
    result: CampaignResult
    states: dict[str, RecipientState]
    """The ledger's state of each message of this run after it."""


def _path(ctx: AppContext, name: str) -> Path:
    return ledger_dir(ctx.data_dir) / name


def ledger_states(ctx: AppContext, name: str) -> dict[str, RecipientState]:
    """Each message's state in a keyed ledger (an `attempting` without an outcome stays ATTEMPTING)."""
    return fold(read_records(_path(ctx, name)))[0]


async def run_keyed(
    ctx: AppContext, name: str, keys: Iterable[str], build: MessageFactory, *, address_of: Callable[[str], str],
    transport: Transport | None, skip_reason: SkipCheck | None = None, on_progress: ProgressHook | None = None,
    limiter: RateLimiter | None = None,
) -> KeyedRun:
    """Queue `keys` (a message the ledger holds as queued or deferred is queued afresh, anything else is left as
    it is), then send them in order, one at a time (a CANCEL never overtakes its invite), each 4xx left deferred
    for the next run. A transport given is the caller's (closed by the caller); without one the settings' is used
    and closed here."""
    lock = RunLock.take(_path(ctx, name), f"session mail ({name})")
    try:
        return await _run_keyed(ctx, name, keys, build, address_of=address_of, transport=transport,
                                skip_reason=skip_reason, on_progress=on_progress, limiter=limiter)
    finally:
        lock.release()


async def _run_keyed(
    ctx: AppContext, name: str, keys: Iterable[str], build: MessageFactory, *, address_of: Callable[[str], str],
    transport: Transport | None, skip_reason: SkipCheck | None, on_progress: ProgressHook | None,
    limiter: RateLimiter | None,
) -> KeyedRun:
    own = transport is None
    transport = transport or transport_for(ctx.settings, ctx.data_dir)
    wanted = list(dict.fromkeys(keys))
    ledger = Ledger(_path(ctx, name))
    known, _ = ledger.states()
    at = stamp(ctx.clock.now())
    fresh = [k for k in wanted if k not in known or known[k].state in (State.QUEUED, State.DEFERRED)]
    ledger.append_many([{"at": at, "key": key, "state": State.QUEUED.value} for key in fresh])
    ledger.commit_now()
    options = run_options(ctx, concurrency=1)
    campaign = Campaign(
        ledger, transport, build, envelope_from=ctx.settings.sender.from_address, clock=ctx.clock,
        limiter=limiter or (None if transport.name == "outbox" else rate_limiter(ctx)),
        options=replace(options, max_retries=0), skip_reason=on_fresh_data(ctx, skip_reason),
        on_progress=on_progress, address_of=address_of)
    try:
        campaign.prepare(only=wanted)
        result = await campaign.run()
    finally:
        ledger.close()
        if campaign.limiter is not None:
            campaign.limiter.close()
        if own:
            await transport.close()
    return KeyedRun(result, {k: v for k, v in ledger_states(ctx, name).items() if k in set(wanted)})
