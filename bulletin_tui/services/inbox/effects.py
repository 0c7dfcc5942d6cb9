"""What each kind of returned message changes. Every change is an `InboxAction` the operator can list and undo
(`undo.py`; except a complaint's unsubscribe: only the person can undo that)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...domain.bounces import BounceScore, Severity, severity
from ...domain.errors import DomainError
from ...domain.sessions import RegistrationStatus
from ...mailbox.authresults import dmarc_pass_for
from ...mailbox.classify import Classified, Kind
from ...mailbox.message import Mail, body_text
from ...sending.ledger import Ledger, stamp
from ..context import AppContext
from ..sessions.registrations import cancel_registration, registration_id
from ..subscribers.people import unsubscribe
from ..subscribers.suppression import suppress, suppression_reason
from ..subscribers.tokens import reference_index
from .drafts import KIND as DRAFT_KIND
from .drafts import draft_from_partner
from .matching import (
    SentCopy,
    best_session,
    campaigns_by_person,
    delivered_between,
    held_session,
    mentions_cancelling,
    mentions_registering,
    safe_key,
    session_by_uid,
)
from .records import MessageState, bounce_scores, record

CANCEL_KIND = "cancellation request"
"""A message that gives up a place: offered in review as a one-key cancellation, never as a registration."""


@dataclass
class Outcome:
    """The state a message ends in and the actions recorded for it."""

    state: MessageState
    actions: list[str] = field(default_factory=list)
    suggestion: str = ""
    note: str = ""
    kind: str = ""  # recorded instead of the classifier's kind (a partner's contribution)


@dataclass
class Context:
    """What one pass shares: the app, the sent-message index, and the trust-sender rule."""

    app: AppContext
    sent: dict[str, SentCopy]
    trust_sender: str = "authenticated"  # authenticated | always | never
    dry_run: bool = False
    _tokens: dict[str, str] | None = None
    _campaigns: dict[str, list[str]] | None = None

    def campaigns_of(self, key: str) -> list[str]:
        """The campaigns sent to one person, in order (worked out once per pass)."""
        if self._campaigns is None:
            self._campaigns = campaigns_by_person(self.sent)
        return self._campaigns.get(key, [])

    def token_index(self) -> dict[str, str]:
        """Token reference -> subscriber key, computed once per pass (one HMAC per subscriber)."""
        if self._tokens is None:
            self._tokens = reference_index(self.app)
        return self._tokens


def _note_in_ledger(ctx: AppContext, copy: SentCopy, status: str, diagnostic: str) -> None:
    ledger = Ledger(copy.ledger)
    try:
        ledger.append({"at": stamp(ctx.clock.now()), "event": "bounced", "recipient": copy.key,
                       "status": status, "reply": diagnostic[:200]})
        ledger.commit_now()
    finally:
        ledger.close()


def apply_bounce(run: Context, mail: Mail, found: Classified, message_key: str) -> Outcome:
    """Score each failed recipient; at the threshold suppress them ("bounced", with the report's id)."""
    ctx, outcome = run.app, Outcome(MessageState.APPLIED)
    assert found.report is not None
    copy = run.sent.get(found.report.original_message_id)
    if copy is None:  # anyone can write a report naming anyone: only one returning our message counts
        return Outcome(MessageState.REVIEW, note="delivery report that returns no message we sent: nothing changed")
    failures = [f for f in found.report.failures if f.action in ("failed", "")]
    for failure in failures:
        # the person we sent that message to; an address the report adds beside them is not ours to score
        key = copy.key if len(failures) == 1 or safe_key(failure.address) == copy.key else ""
        level = severity(failure.status, failure.diagnostic)
        if not key or key not in ctx.store.subscribers:
            outcome.note = f"{failure.address}: not the recipient of the returned message, or not a subscriber"
            continue
        scores = bounce_scores(ctx)
        before = scores.get(key) or BounceScore(key=key)
        fresh = delivered_between(run.campaigns_of(key), before.last_campaign, copy.campaign)
        after = before.counted(copy.campaign, ctx.clock.now().date(), level, delivered_since=fresh)
        scores.put(after)
        detail = f"{failure.status or 'no status'} {level.value}: score {before.score:g} -> {after.score:g}"
        if not run.dry_run:
            _note_in_ledger(ctx, copy, failure.status, failure.diagnostic)
        detail += f" ({copy.campaign})"
        undo: dict[str, Any] = {"score": before.model_dump(mode="json")}
        limits = ctx.settings.imap.bounce_score_limit, ctx.settings.imap.hard_bounce_limit
        if level is not Severity.NONE and after.over_threshold(*limits) and suppression_reason(ctx, key) is None:
            suppress(ctx, key, f"bounced ({failure.status or 'bounce'}; report {message_key[:120]})")
            undo["unsuppress"] = True
            detail += "; suppressed"
        outcome.actions.append(record(ctx, message_key, "bounce", key, detail, undo))
    return outcome


def apply_complaint(run: Context, found: Classified, message_key: str) -> Outcome:
    """An abuse complaint about a message we sent: that message's recipient leaves every list and is suppressed.

    Only `Feedback-Type: abuse` acts; any other type is recorded for review. And only the returned original's
    Message-ID, matched in a ledger, says who complained: an `Original-Rcpt-To` anyone can write names nobody."""
    ctx = run.app
    assert found.complaint is not None
    feedback_type = found.complaint.feedback_type or "none given"
    if feedback_type != "abuse":
        return Outcome(MessageState.REVIEW, note=f"feedback report of type {feedback_type[:40]}: not a complaint, "
                                                 "nothing changed")
    copy = run.sent.get(found.complaint.original_message_id)
    if copy is None:
        return Outcome(MessageState.REVIEW, note="complaint that returns no message we sent: nothing changed")
    if copy.key not in ctx.store.subscribers:
        return Outcome(MessageState.REVIEW, note="complaint about an address that is not a subscriber")
    key = copy.key
    left = unsubscribe(ctx, key, source="spam complaint (feedback report)", reference=message_key[:200])
    actions = [record(ctx, message_key, "unsubscribe", key, f"complaint: left {', '.join(left.lists) or 'no list'}",
                      undoable=False)]
    if suppression_reason(ctx, key) is None:
        suppress(ctx, key, f"complaint (abuse; report {message_key[:120]})")
        actions.append(record(ctx, message_key, "suppress", key, "spam complaint", {"unsuppress": True}))
    return Outcome(MessageState.APPLIED, actions)


def apply_calendar_reply(run: Context, mail: Mail, found: Classified, message_key: str) -> Outcome:
    """Accepted/tentative: noted on the registration. Declined: the place is released (waiting list promoted)."""
    ctx = run.app
    assert found.reply is not None
    session = session_by_uid(ctx, found.reply.uid)
    if session is None or session.cancelled or session.end <= ctx.clock.now():
        return Outcome(MessageState.REVIEW, note="reply for an unknown, cancelled or past session")
    key = safe_key(found.reply.attendee)
    if key and safe_key(mail.sender) != key:  # the UID is public (the published calendar): anyone could decline
        return Outcome(MessageState.REVIEW, suggestion=session.slug,
                       note=f"calendar reply for {found.reply.attendee[:80]} sent from another address: no change")
    registration = ctx.store.registrations.get(registration_id(session.slug, key)) if key else None
    if registration is None or not registration.active:
        return Outcome(MessageState.REVIEW, suggestion=session.slug, note="reply from someone not registered")
    stored = ctx.store.sessions.get(session.slug)
    their_date = stored.occurrence(registration.occurrence_id) if stored is not None else None
    if their_date is not None and their_date.uid != session.uid:
        return Outcome(MessageState.REVIEW, suggestion=session.slug,
                       note="reply about a date they are no longer registered for (moved to another date)")
    if found.reply.partstat == "DECLINED":
        held = registration.status is RegistrationStatus.CONFIRMED
        result = cancel_registration(ctx, session.slug, key)
        promoted = ", ".join(p.email for p in result.promoted)
        detail = f"declined {session.slug}" + (f"; promoted {promoted}" if promoted else "")
        action = record(ctx, message_key, "decline", key, detail, {"session": session.slug, "held": held,
                                                                  "occurrence": registration.occurrence_id})
        return Outcome(MessageState.APPLIED, [action])
    previous = registration.reply
    ctx.store.registrations.put(registration.model_copy(update={"reply": found.reply.partstat.lower()}))
    action = record(ctx, message_key, "calendar reply", key, f"{found.reply.partstat.lower()} {session.slug}",
                    {"session": session.slug, "reply": previous})
    return Outcome(MessageState.APPLIED, [action])


def _authenticated_sender(ctx: AppContext, mail: Mail) -> bool:
    """DMARC passed for the From domain, by the receiving server's own Authentication-Results header."""
    domain = mail.sender.rpartition("@")[2]
    return bool(domain) and dmarc_pass_for(mail.message, domain, ctx.settings.imap.trusted_authserv_id)


def apply_unsubscribe(run: Context, mail: Mail, found: Classified, message_key: str) -> Outcome:
    """A token (its list), or a plain request from a trusted sender (every list); else review."""
    ctx = run.app
    try:
        if found.tokens:
            left = unsubscribe(ctx, found.tokens[0], source="unsubscribe e-mail", reference=message_key[:200],
                               token_index=run.token_index())
        elif run.trust_sender == "always" or (run.trust_sender == "authenticated" and _authenticated_sender(ctx, mail)):
            left = unsubscribe(ctx, mail.sender, source="unsubscribe e-mail (sender address)",
                               reference=message_key[:200])
        else:
            return Outcome(MessageState.REVIEW, note="asks to unsubscribe; sender not authenticated")
    except DomainError as exc:
        return Outcome(MessageState.REVIEW, note=str(exc)[:200])
    detail = f"left {', '.join(left.lists) or 'nothing (already unsubscribed)'}"
    return Outcome(MessageState.APPLIED, [record(ctx, message_key, "unsubscribe", safe_key(left.email), detail,
                                                 {"lists": left.lists})])


def apply_other(run: Context, mail: Mail, found: Classified, message_key: str) -> Outcome:
    """Review; a request to register gets the best-matching upcoming session preselected; anything else from a
    known partner is offered as a draft bulletin item."""
    if mail.unreadable:
        return Outcome(MessageState.REVIEW, note=mail.unreadable)
    text = f"{mail.subject}\n{body_text(mail)[:5000]}"
    if mentions_cancelling(mail.subject, found.own_words):
        held = held_session(run.app, mail.sender, text, run.app.clock.now())
        note = f"cancellation request: {held.title}" if held else "asks to cancel, but holds no upcoming place"
        return Outcome(MessageState.REVIEW, suggestion=held.slug if held else "", note=note[:300], kind=CANCEL_KIND)
    session = best_session(run.app, text, run.app.clock.now()) if mentions_registering(text) else None
    if session is not None:
        return Outcome(MessageState.REVIEW, suggestion=session.slug, note=f"registration request: {session.title}")
    draft = draft_from_partner(run.app, mail, message_key)
    if draft is not None:
        return Outcome(MessageState.REVIEW, kind=DRAFT_KIND, note=f"draft item from {draft.organisation}: "
                       f"{draft.title}"[:300])
    return Outcome(MessageState.REVIEW, note="needs a person")


def apply(run: Context, mail: Mail, found: Classified, message_key: str) -> Outcome:
    """The effect of one classified message (raises only on a bug; the pass then sends it to review)."""
    if found.kind is Kind.BOUNCE:
        return apply_bounce(run, mail, found, message_key)
    if found.kind is Kind.COMPLAINT:
        return apply_complaint(run, found, message_key)
    if found.kind is Kind.CALENDAR_REPLY:
        return apply_calendar_reply(run, mail, found, message_key)
    if found.kind is Kind.UNSUBSCRIBE:
        return apply_unsubscribe(run, mail, found, message_key)
    if found.kind in (Kind.AUTO_REPLY, Kind.DELAY):
        return Outcome(MessageState.COUNTED)
    return apply_other(run, mail, found, message_key)
