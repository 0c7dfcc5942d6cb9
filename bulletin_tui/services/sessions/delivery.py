"""Deliver queued session mail through a transport (outbox or SMTP), with a durable ledger of attempts.

Each message's `attempting` record is fsynced before it goes out; a later run treats an attempt without an outcome
as uncertain (shown, never resent automatically). The ledger holds queue ids only, never addresses.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime

from ...domain.sessions import InfoSession, Registration, RegistrationStatus
from ...invites.ics import InviteMethod
from ...invites.message import InviteKind
from ...locations import ledger_dir
from ...sending.ledger import Ledger, State, stamp
from ...sending.ratelimit import RateLimiter
from ...sending.refusals import RefusalWatch
from ...sending.scrub import build_error, without_address
from ...sending.transport import Delivery, Outcome, Transport
from ..campaigns.runs import rate_limiter
from ..context import AppContext
from ..mailauth.wiring import transport_for
from ..sessions.mail import MailOutcome, QueuedMail, mail_queue, mail_view, pending_mail, render_mail
from ..subscribers.suppression import is_suppressed

LEDGER_NAME = "sessions/mail.jsonl"  # a sub-folder: not listed as a bulletin campaign
LEDGER_STATE = {State.SENT: MailOutcome.SENT, State.FAILED: MailOutcome.FAILED, State.SKIPPED: MailOutcome.SKIPPED}
KINDS_FOR_THEIR_DATE = frozenset({InviteKind.INVITE, InviteKind.UPDATE, InviteKind.REMINDER, InviteKind.WAITLISTED})
TRANSPORT_OUTCOME = {Outcome.SENT: MailOutcome.SENT, Outcome.FAILED: MailOutcome.FAILED,
                     Outcome.DEFERRED: MailOutcome.DEFERRED, Outcome.UNCERTAIN: MailOutcome.UNCERTAIN}


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


def _reconcile(ledger: Ledger, pending: list[QueuedMail]) -> tuple[list[QueuedMail], list[QueuedMail]]:
    """(settled from the ledger after a crash, still to send)."""
    states, _ = ledger.states()
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
    ctx: AppContext, transport: Transport, session_slug: str | None = None, limiter: RateLimiter | None = None,
    *, kinds: frozenset[InviteKind] | None = None,
) -> list[Delivered]:
    """Send every pending message (of one session, of some kinds) within the shared rate limits; stops early
    (the rest stay pending) when the transport asks to pause or the day's allowance is used up."""
    ledger = Ledger(ledger_dir(ctx.data_dir) / LEDGER_NAME)
    if limiter is None and transport.name != "outbox":  # writing .eml files uses none of the server's allowance
        limiter = rate_limiter(ctx)
    results: list[Delivered] = []
    settled: list[QueuedMail] = []
    try:
        settled, to_send = _reconcile(ledger, pending_mail(ctx, session_slug, kinds))
        invited = _invited(ctx)
        watch: RefusalWatch[str] = RefusalWatch(streak=ctx.settings.limits.same_refusal_streak)
        for mail in to_send:
            if limiter is not None and limiter.daily_delay() > 0:
                break
            update, result = await _deliver_one(ctx, transport, ledger, mail, invited, limiter)
            if update is None:
                results.append(result)
                break
            if update.outcome is MailOutcome.SENT and mail.kind.method is InviteMethod.REQUEST:
                invited.add((mail.registration_id, mail.occurrence_id))
            settled.append(update)
            results.append(result)
            if _server_problem(ctx, ledger, watch, result, settled, results):
                break
    finally:
        ledger.close()
        if limiter is not None:
            limiter.close()
        if settled:
            mail_queue(ctx).put_many(settled)
    return results


async def _deliver_one(ctx: AppContext, transport: Transport, ledger: Ledger,
                       mail: QueuedMail, invited: set[tuple[str, str]],
                       limiter: RateLimiter | None) -> tuple[QueuedMail | None, Delivered]:
    now = ctx.clock.now()
    session = ctx.store.sessions.get(mail.session_slug)
    registration = ctx.store.registrations.get(mail.registration_id)
    reason = _skip_reason(ctx, mail, session, registration, now, invited)
    to = registration.email if registration else ""
    if reason:
        ledger.append({"at": stamp(now), "key": mail.id, "state": State.SKIPPED.value, "reply": reason})
        skipped = mail.model_copy(update={"outcome": MailOutcome.SKIPPED, "reply": reason})
        return skipped, Delivered(mail.id, to, mail.kind, MailOutcome.SKIPPED, reason)
    assert session is not None and registration is not None
    try:
        message = render_mail(ctx, mail, session, registration)
    except Exception as exc:  # one message that cannot be built never blocks the queue
        reply = _without_address(f"not sent: {build_error(exc)}", registration.email)
        ledger.append({"at": stamp(now), "key": mail.id, "state": State.FAILED.value, "reply": reply})
        failed = mail.model_copy(update={"outcome": MailOutcome.FAILED, "reply": reply[:500]})
        return failed, Delivered(mail.id, to, mail.kind, MailOutcome.FAILED, reply)
    if limiter is not None:
        wait = limiter.delay()
        if wait > 0:
            await asyncio.sleep(wait)
        limiter.record()
    ledger.append({"at": stamp(now), "key": mail.id, "state": State.ATTEMPTING.value})
    ledger.commit_now()
    delivery = await transport.deliver(ctx.settings.sender.from_address, registration.email, message)
    reply = _without_address(delivery.summary, registration.email)
    if delivery.outcome is Outcome.PAUSE:
        ledger.append({"at": stamp(ctx.clock.now()), "key": mail.id, "state": State.DEFERRED.value,
                       "reply": reply, "paused": True})
        return None, Delivered(mail.id, to, mail.kind, MailOutcome.DEFERRED, reply, message, delivery.code, True)
    outcome = TRANSPORT_OUTCOME[delivery.outcome]
    ledger.append({"at": stamp(ctx.clock.now()), "key": mail.id, "state": outcome.value, "reply": reply})
    delivered_at = ctx.clock.now() if outcome is MailOutcome.SENT else None
    update = mail.model_copy(update={"outcome": outcome, "reply": reply[:500], "delivered_at": delivered_at})
    return update, Delivered(mail.id, to, mail.kind, outcome, reply, message, delivery.code)


def _server_problem(ctx: AppContext, ledger: Ledger, watch: RefusalWatch[str], result: Delivered,
                    settled: list[QueuedMail], results: list[Delivered]) -> bool:
    """The same refusal for everyone (a relay denying us): put those messages back in the queue and stop."""
    if result.outcome is MailOutcome.SENT:
        watch.delivered()
        return False
    if result.outcome is not MailOutcome.FAILED or result.code is None:
        return False
    verdict = watch.refused(result.mail_id, Delivery(Outcome.FAILED, reply=result.reply), result.to)  # code in reply
    if not verdict.requeue:
        return False
    back = set(verdict.requeue)
    for mail_id in back:
        ledger.append({"at": stamp(ctx.clock.now()), "key": mail_id, "state": State.QUEUED.value,
                       "reply": "requeued: the server refused everyone the same way"})
    settled[:] = [m for m in settled if m.id not in back]
    results[:] = [replace(r, outcome=MailOutcome.DEFERRED, reply=verdict.reason, paused=True)
                  if r.mail_id in back else r for r in results]
    return True


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
    chosen = transport or transport_for(ctx.settings, ctx.data_dir)

    async def run() -> list[Delivered]:
        try:
            return await deliver_pending_async(ctx, chosen, session_slug, kinds=kinds)
        finally:
            await chosen.close()

    return asyncio.run(run())
