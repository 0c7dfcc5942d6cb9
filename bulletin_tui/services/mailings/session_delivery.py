"""Deliver queued session mail (invites, updates, cancellations, reminders, waiting-list mail) through the one
campaign runner (`services.mailings.keyed`), like every other message: its durable ledger (ids only, never
addresses), the still-wanted check right before each message (`_skip_reason`), an attempt without an outcome left
uncertain (shown, never resent automatically), the refusal watch and the installation's limits and transport.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ...domain.sessions import InfoSession, Registration, RegistrationStatus
from ...invites.ics import InviteMethod
from ...invites.message import InviteKind
from ...locations import ledger_dir
from ...sending.ledger import Ledger, RecipientState, State, stamp
from ...sending.progress import Progress, Recipient, RunStatus
from ...sending.scrub import without_address
from ..context import AppContext
from ..sessions.mail import MailOutcome, QueuedMail, mail_queue, mail_view, pending_mail, render_mail
from ..subscribers.suppression import is_suppressed
from .keyed import KeyedRun, RateLimiter, Transport, ledger_states, run_keyed

ProgressHook = Callable[[Progress], None]
LEDGER_NAME = "sessions/mail.jsonl"  # a sub-folder: not listed as a bulletin campaign
LEDGER_STATE = {State.SENT: MailOutcome.SENT, State.FAILED: MailOutcome.FAILED, State.SKIPPED: MailOutcome.SKIPPED,
                State.UNCERTAIN: MailOutcome.UNCERTAIN}
KINDS_FOR_THEIR_DATE = frozenset({InviteKind.INVITE, InviteKind.UPDATE, InviteKind.REMINDER, InviteKind.WAITLISTED})


@dataclass(frozen=True)
class Delivered:
    """What happened to one queued message (the bytes are kept for previews and tests)."""

    mail_id: str
    to: str
    kind: InviteKind
    outcome: MailOutcome
    reply: str = ""
    message: bytes = b""
    code: int | None = None
    paused: bool = False
    """True when delivery stopped here (quota, sign-in, the same refusal for everyone): the rest stay queued."""


def _invited(ctx: AppContext) -> set[tuple[str, str]]:
    """(registration, date) pairs sent a calendar entry (so a CANCEL for that date's UID means something)."""
    return {(m.registration_id, m.occurrence_id) for m in mail_queue(ctx)
            if m.outcome is MailOutcome.SENT and m.kind.method is InviteMethod.REQUEST}


def _skip_reason(ctx: AppContext, mail: QueuedMail, stored: InfoSession | None,
                 registration: Registration | None, now: datetime, invited: set[tuple[str, str]]) -> str:
    """Why a queued message should not go now ('' if it should)."""
    if mail.kind.method is InviteMethod.CANCEL and (mail.registration_id, mail.occurrence_id) not in invited:
        return "no invite was ever sent to them, so there is nothing to cancel"
    session = None if stored is None else mail_view(stored, mail)
    if session is None or registration is None:
        return "session or registration no longer exists (erased?)"
    if is_suppressed(ctx, registration.email):
        return "address is suppressed"
    if mail.kind in KINDS_FOR_THEIR_DATE and registration.occurrence_id != mail.occurrence_id:
        return "they moved to another date (a later message tells them)"
    if mail.kind is InviteKind.REMINDER:
        if now >= session.start:
            return "the session has started; reminders never go after the start"
        if session.cancelled or registration.status is not RegistrationStatus.CONFIRMED:
            return "no longer confirmed"
    if mail.kind is InviteKind.WAITLISTED:
        if session.cancelled or registration.status is not RegistrationStatus.WAITLISTED:
            return "no longer waiting (a later message tells them)"
        if now >= session.start:
            return "the session has started"
    if mail.kind in (InviteKind.INVITE, InviteKind.UPDATE):
        if session.cancelled or registration.status is not RegistrationStatus.CONFIRMED:
            return "no longer confirmed (a later message tells them)"
        if now >= session.end:
            return "the session is over (registered afterwards for the record)"
    return ""


def _reconcile(states: dict[str, RecipientState], pending: list[QueuedMail]) -> tuple[list[QueuedMail],
                                                                                     list[QueuedMail]]:
    """(settled from the ledger after a crash, still to send)."""
    settled, to_send = [], []
    for mail in pending:
        found = states.get(mail.id)
        if found is None or found.state in (State.DEFERRED, State.QUEUED):
            to_send.append(mail)
        elif found.state is State.ATTEMPTING:
            settled.append(mail.model_copy(update={
                "outcome": MailOutcome.UNCERTAIN, "reply": "interrupted during sending; check before resending"}))
        else:
            outcome = LEDGER_STATE.get(found.state, MailOutcome.UNCERTAIN)
            settled.append(mail.model_copy(update={"outcome": outcome, "reply": found.reply}))
    return settled, to_send


async def deliver_pending_async(
    ctx: AppContext, transport: Transport | None, session_slug: str | None = None,
    limiter: RateLimiter | None = None, *,
    kinds: frozenset[InviteKind] | None = None, on_progress: ProgressHook | None = None,
) -> list[Delivered]:
    """Send every pending message (of one session, of some kinds) through the one campaign runner, within the
    installation's limits; stops early (the rest stay pending) when the server asks to pause, the same refusal
    comes for everyone, or the day's allowance is used up."""
    settled, to_send = _reconcile(ledger_states(ctx, LEDGER_NAME), pending_mail(ctx, session_slug, kinds))
    by_id = {mail.id: mail for mail in to_send}
    registrations = {m.id: ctx.store.registrations.get(m.registration_id) for m in to_send}
    invited, messages, now = _invited(ctx), dict[str, bytes](), ctx.clock.now()

    def build(recipient: Recipient) -> bytes:
        mail, registration = by_id[recipient.key], registrations[recipient.key]
        session = ctx.store.sessions.get(mail.session_slug)
        assert session is not None and registration is not None  # the skip check ran first
        messages[mail.id] = render_mail(ctx, mail, session, registration)
        return messages[mail.id]

    def skip(recipient: Recipient) -> str | None:
        mail = by_id[recipient.key]
        reason = _skip_reason(ctx, mail, ctx.store.sessions.get(mail.session_slug), registrations[mail.id], now,
                              invited)
        return reason or None

    def progress(report: Progress) -> None:
        mail = by_id.get(report.last_key)
        if mail is not None and report.last_state == State.SENT.value and mail.kind.method is InviteMethod.REQUEST:
            invited.add((mail.registration_id, mail.occurrence_id))  # a CANCEL after it in this run now means it
        if on_progress is not None:
            on_progress(report)

    def address_of(key: str) -> str:
        found = registrations.get(key)
        return found.email if found is not None else ""

    try:
        run = await run_keyed(ctx, LEDGER_NAME, list(by_id), build, address_of=address_of, transport=transport,
                              skip_reason=skip, on_progress=progress, limiter=limiter) if to_send else None
    finally:
        if settled:
            mail_queue(ctx).put_many(settled)
    interrupted = [Delivered(m.id, _address(ctx, m), m.kind, m.outcome, m.reply) for m in settled
                   if m.outcome is MailOutcome.UNCERTAIN]  # a crash before: shown, never resent by itself
    return interrupted + _settle(ctx, to_send, run, registrations, messages)


def _address(ctx: AppContext, mail: QueuedMail) -> str:
    found = ctx.store.registrations.get(mail.registration_id)
    return found.email if found is not None else ""


def _settle(ctx: AppContext, sent: list[QueuedMail], run: KeyedRun | None,
            registrations: dict[str, Registration | None], messages: dict[str, bytes]) -> list[Delivered]:
    """The run's outcome of each message, into the queue and as results; queued ones stay pending."""
    if run is None:
        return []
    results, updates = [], []
    pause = run.result.reason if run.result.status is RunStatus.PAUSED else ""
    for mail in sent:
        found = run.states.get(mail.id)
        registration = registrations[mail.id]
        to = registration.email if registration else ""
        if found is None or found.state is State.QUEUED:
            if pause:  # where the run stopped, and why (the rest stay queued)
                results.append(Delivered(mail.id, to, mail.kind, MailOutcome.DEFERRED, pause, paused=True))
                pause = ""
            continue
        paused = found.state is State.DEFERRED and found.paused_retry
        reply = run.result.reason if paused and run.result.reason else _without_address(found.reply, to)
        pause = "" if paused else pause
        outcome = MailOutcome.UNCERTAIN if found.state is State.ATTEMPTING else LEDGER_STATE.get(
            found.state, MailOutcome.DEFERRED if found.state is State.DEFERRED else MailOutcome.UNCERTAIN)
        results.append(Delivered(mail.id, to, mail.kind, outcome, reply, messages.get(mail.id, b""), found.code,
                                 paused))
        if not paused:
            delivered_at = datetime.fromisoformat(found.at) if outcome is MailOutcome.SENT and found.at else None
            updates.append(mail.model_copy(update={"outcome": outcome, "reply": reply[:500],
                                                   "delivered_at": delivered_at}))
    mail_queue(ctx).put_many(updates)
    return results


def resend_uncertain(ctx: AppContext, session_slug: str | None = None) -> list[QueuedMail]:
    """Put uncertain messages back in the queue (after checking they did not arrive): the operator's choice."""
    uncertain = [m for m in mail_queue(ctx) if m.outcome is MailOutcome.UNCERTAIN
                 and (session_slug is None or m.session_slug == session_slug)]
    if not uncertain:
        return []
    ledger = Ledger(ledger_dir(ctx.data_dir) / LEDGER_NAME)
    try:
        for mail in uncertain:
            ledger.append({"at": stamp(ctx.clock.now()), "key": mail.id, "state": State.QUEUED.value,
                           "reply": f"requeued by {ctx.operator}"})
    finally:
        ledger.close()
    requeued = [m.model_copy(update={"outcome": MailOutcome.PENDING, "reply": ""}) for m in uncertain]
    return mail_queue(ctx).put_many(requeued)


def _without_address(reply: str, email: str) -> str:
    """Server replies and outbox file names may quote the address; ledgers and the queue keep none."""
    return without_address(reply, email)


def deliver_pending(ctx: AppContext, session_slug: str | None = None, transport: Transport | None = None, *,
                    kinds: frozenset[InviteKind] | None = None) -> list[Delivered]:
    """Synchronous wrapper for the CLI: the configured transport (outbox unless SMTP is set up)."""

    async def run() -> list[Delivered]:
        return await deliver_pending_async(ctx, transport, session_slug, kinds=kinds)

    return asyncio.run(run())
