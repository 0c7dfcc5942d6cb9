"""Campaigns as a service: where ledgers live, starting/resuming a run, listing, CSV export, privacy hooks.

Bulletin sends (`services/send.py`) and session invites both go through `open_campaign()`: it snapshots the
audience on first use, and on later use resumes the same ledger (`campaign_id` names it).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.errors import DomainError, NotFoundError
from ...domain.identity import canonical_email
from ...domain.text import normalise_email
from ...locations import ledger_dir
from ...sending.budget import mailbox_key, send_log_path
from ...sending.ledger import (
    ERASED_PREFIX,
    Ledger,
    RecipientState,
    State,
    about,
    fold,
    read_records,
    redact_key,
    snapshot,
    stamp,
)
from ...sending.mailing import BounceHook, Campaign, MessageFactory, ProgressHook, SkipCheck
from ...sending.progress import Recipient, RunOptions
from ...sending.ratelimit import BudgetToday, RateLimiter
from ...sending.runlock import RunLock
from ...sending.transport import Transport
from ...storage.outputs import check_output_file, write_output
from ..context import AppContext
from ..mailauth.wiring import transport_for
from ..subscribers.export import neutralise

CSV_FIELDS = ["at", "email", "state", "code", "reply", "message_id", "retry_at"]
WINDOW_MARGIN = 1.0
"""Seconds added to the per-minute and per-day windows: a message counted now reaches the server a moment later."""


@dataclass
class CampaignStatus:
    """A campaign's ledger summarised: who is where."""

    campaign_id: str
    meta: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    last_event: str = ""
    updated_at: str = ""

    @property
    def name(self) -> str:
        return self.campaign_id

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def to_send(self) -> int:
        """Recipients a plain resume would still send to (queued, deferred and not given up)."""
        return self.counts.get("queued", 0) + self.counts.get("deferred", 0)


def ledger_path(ctx: AppContext, campaign_id: str, *, create_dir: bool = False) -> Path:
    """Where a campaign's ledger is; the folder is made only for a writer (`create_dir`)."""
    return ledger_dir(ctx.data_dir, create=create_dir) / f"{campaign_id}.jsonl"


def rate_limiter(ctx: AppContext, *, rate_per_minute: int | None = None) -> RateLimiter:
    """The sending mailbox's limiter (per minute and rolling day): one send log in the data folder, shared by every
    process that sends from it (`sending.budget`)."""
    limits, smtp = ctx.settings.limits, ctx.settings.smtp
    per_minute = limits.rate_per_minute if rate_per_minute is None else rate_per_minute
    return RateLimiter(ctx.clock, per_minute=per_minute, per_day=limits.rate_per_day,
                       log_path=send_log_path(ctx.data_dir), mailbox=mailbox_key(smtp.host, smtp.username),
                       margin=WINDOW_MARGIN)


def budget_today(ctx: AppContext) -> BudgetToday:
    """The sending mailbox's rolling-24-hour budget now, as every process has spent it (reads only)."""
    limiter = rate_limiter(ctx)
    try:
        return limiter.today()
    finally:
        limiter.close()


def run_options(ctx: AppContext, *, concurrency: int | None = None) -> RunOptions:
    limits = ctx.settings.limits
    return RunOptions(concurrency=concurrency or limits.concurrency, max_retries=limits.max_retries,
                      max_consecutive_errors=limits.max_consecutive_errors,
                      stall_timeout=limits.unreachable_pause_minutes * 60,
                      same_refusal_streak=limits.same_refusal_streak)


def on_fresh_data(ctx: AppContext, check: SkipCheck | None, every_s: float = 1.0) -> SkipCheck | None:
    """`check`, after catching up (at most once every `every_s`) with other processes' saves: a send takes hours,
    and an unsubscribe, erasure or suppression made meanwhile in another app or command must stop the next
    message to that person."""
    if check is None:
        return None
    looked = [time.monotonic()]

    def fresh(recipient: Recipient) -> str | None:
        if time.monotonic() - looked[0] >= every_s:
            looked[0] = time.monotonic()
            ctx.store.refresh()
        return check(recipient)

    return fresh


def open_campaign(
    ctx: AppContext, campaign_id: str, audience: Callable[[], Iterable[Recipient]], build: MessageFactory, *,
    meta: dict[str, Any], resume: bool = False, retry_failed: bool = False, resend_uncertain: bool = False,
    transport: Transport | None = None, limiter: RateLimiter | None = None, rate_per_minute: int | None = None,
    options: RunOptions | None = None,
    skip_reason: SkipCheck | None = None, on_hard_bounce: BounceHook | None = None,
    on_progress: ProgressHook | None = None,
) -> Campaign:
    """A ready-to-run campaign: new (audience snapshotted now) or an existing one resumed.

    The installation's rate limits apply to SMTP; writing .eml files to the outbox uses none of a server's
    allowance, so it is not limited."""
    path = ledger_path(ctx, campaign_id, create_dir=True)
    lock = RunLock.take(path, f"campaign {campaign_id}")  # before the ledger is read: one process starts it
    try:
        campaign = _open(ctx, campaign_id, path, audience, build, meta=meta, resume=resume, retry_failed=retry_failed,
                         resend_uncertain=resend_uncertain, transport=transport, limiter=limiter,
                         rate_per_minute=rate_per_minute, options=options, skip_reason=skip_reason,
                         on_hard_bounce=on_hard_bounce, on_progress=on_progress)
    except BaseException:
        lock.release()
        raise
    campaign.run_lock = lock
    return campaign


def _open(
    ctx: AppContext, campaign_id: str, path: Path, audience: Callable[[], Iterable[Recipient]], build: MessageFactory,
    *, meta: dict[str, Any], resume: bool, retry_failed: bool, resend_uncertain: bool, transport: Transport | None,
    limiter: RateLimiter | None, rate_per_minute: int | None, options: RunOptions | None,
    skip_reason: SkipCheck | None, on_hard_bounce: BounceHook | None, on_progress: ProgressHook | None,
) -> Campaign:
    exists = path.exists() and path.stat().st_size > 0
    if exists and not (resume or retry_failed or resend_uncertain):
        raise DomainError(f"campaign {campaign_id} was already started; use --resume (or --retry-failed, "
                          "--resend-uncertain) to continue it")
    if not exists and (resume or retry_failed or resend_uncertain):
        raise NotFoundError(f"no mailing {campaign_id} to resume")
    recipients = None if exists else list(audience())  # before anything is written: a failure leaves nothing
    ledger = Ledger(path)
    if recipients is not None:
        snapshot(ledger, recipients, at=stamp(ctx.clock.now()), meta={"id": campaign_id, **meta,
                                                                      "operator": ctx.operator})
    transport = transport or transport_for(ctx.settings, ctx.data_dir)
    if limiter is None and transport.name != "outbox":
        limiter = rate_limiter(ctx, rate_per_minute=rate_per_minute)
    campaign = Campaign(
        ledger, transport, build,
        envelope_from=ctx.settings.sender.from_address, clock=ctx.clock, limiter=limiter,
        options=options or run_options(ctx), skip_reason=on_fresh_data(ctx, skip_reason), on_hard_bounce=on_hard_bounce,
        on_progress=on_progress,
    )
    campaign.prepare(retry_failed=retry_failed, resend_uncertain=resend_uncertain)
    return campaign


def campaign_status(ctx: AppContext, campaign_id: str) -> CampaignStatus:
    path = ledger_path(ctx, campaign_id)
    if not path.exists():
        raise NotFoundError(f"no mailing {campaign_id}")
    states, events = fold(read_records(path))
    counts: dict[str, int] = {}
    for person in states.values():
        state = State.UNCERTAIN if person.state is State.ATTEMPTING else person.state
        counts[state.value] = counts.get(state.value, 0) + 1
    meta = next((e for e in events if e.get("event") == "campaign"), {})
    last = events[-1] if events else {}
    return CampaignStatus(campaign_id, meta, counts, str(last.get("event", "")), str(last.get("at", "")))


def recipients(ctx: AppContext, campaign_id: str) -> list[RecipientState]:
    """Each recipient's latest state (an attempt without an outcome shows as uncertain), in snapshot order."""
    path = ledger_path(ctx, campaign_id)
    if not path.exists():
        raise NotFoundError(f"no mailing {campaign_id}")
    states, _ = fold(read_records(path))
    for person in states.values():
        if person.state is State.ATTEMPTING:
            person.state = State.UNCERTAIN
    return list(states.values())


def campaign_ledgers(ctx: AppContext) -> list[Path]:
    """Every campaign's ledger file (its stem is the campaign id)."""
    return list(ledger_dir(ctx.data_dir, create=False).glob("*.jsonl"))


def list_campaigns(ctx: AppContext) -> list[CampaignStatus]:
    """Every campaign, most recently active first."""
    found = [campaign_status(ctx, p.stem) for p in campaign_ledgers(ctx)]
    return sorted(found, key=lambda c: c.updated_at, reverse=True)


def export_csv(ctx: AppContext, campaign_id: str, out: Path) -> int:
    """Every ledger record of a campaign as CSV (who, what state, when, server reply); returns rows written."""
    path = ledger_path(ctx, campaign_id)
    if not path.exists():
        raise NotFoundError(f"no mailing {campaign_id}")
    check_output_file(out, ctx.data_dir)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    rows = 0
    for record in read_records(path):
        if "key" in record:
            row = {**record, "email": record.get("email") or record["key"]}
            writer.writerow({name: neutralise(value) if isinstance(value, str) else value
                             for name, value in row.items()})
            rows += 1
    write_output(out, buffer.getvalue().encode("utf-8"), ctx.data_dir)
    return rows


def entries_for(ctx: AppContext, email: str) -> list[dict[str, Any]]:
    """Every ledger record about one address, with its campaign id (for subject access requests)."""
    person, folder = canonical_email(email), ledger_dir(ctx.data_dir, create=False)
    found = []
    for path in sorted(folder.rglob("*.jsonl")) if folder.is_dir() else []:
        campaign = str(path.relative_to(folder).with_suffix(""))
        found += [{"campaign": campaign, **r} for r in read_records(path) if about(r, person)]  # legacy keys too
    return found


def redact(ctx: AppContext, email: str, digest: str) -> int:
    """Replace the address (and name) with `erased:<digest>` in every ledger (session mail's too) and scrub it from
    every reply text; returns records changed."""
    key, folder = normalise_email(email), ledger_dir(ctx.data_dir, create=False)
    paths = sorted(folder.rglob("*.jsonl")) if folder.is_dir() else []
    return sum(redact_key(path, key, ERASED_PREFIX + digest, email=email) for path in paths)
