"""What a person decides: the review queue (register the sender, cancel their place, dismiss); the log of
changes and undo are in `undo.py`."""

from __future__ import annotations

from email.utils import parseaddr

from ...domain.errors import DomainError, NotFoundError
from ...domain.occurrences import dates_named
from ...domain.sessions import RegistrationStatus
from ..context import AppContext
from ..sessions.registrations import cancel_registration, register, registration_id
from .matching import safe_key
from .records import InboxAction, InboxMessage, MessageState, inbox_actions, inbox_messages, record


def review_queue(ctx: AppContext) -> list[InboxMessage]:
    """Messages waiting for a person, oldest first."""
    return sorted((m for m in inbox_messages(ctx) if m.state is MessageState.REVIEW), key=lambda m: m.received_at)


def find_message(ctx: AppContext, ref: str) -> InboxMessage:
    """By its key (Message-ID) or by its number in the review queue (1-based)."""
    if ref.isdigit():
        queue = review_queue(ctx)
        if not 1 <= int(ref) <= len(queue):
            raise NotFoundError(f"no message {ref} in the review queue ({len(queue)} waiting)")
        return queue[int(ref) - 1]
    found = inbox_messages(ctx).get(ref)
    if found is None:
        raise NotFoundError(f"no inbox message {ref}")
    return found


def _decided(ctx: AppContext, message: InboxMessage, state: MessageState, action: str | None = None) -> InboxMessage:
    actions = [*message.actions, action] if action else message.actions
    return inbox_messages(ctx).put(message.model_copy(update={"state": state, "actions": actions}))


def _waiting(ctx: AppContext, ref: str, session_slug: str | None) -> tuple[InboxMessage, str]:
    """A message still waiting for review, and the session a decision on it is about (given, or suggested)."""
    message = find_message(ctx, ref)
    if message.state is not MessageState.REVIEW:
        raise DomainError(f"{message.key} is not waiting for review ({message.state.value})")
    slug = session_slug or message.suggestion
    if not slug:
        raise DomainError("which session? (--session SLUG)")
    return message, slug


def register_sender(ctx: AppContext, ref: str, session_slug: str | None = None, name: str = "",
                    occurrence: str | None = None) -> InboxAction:
    """Register the sender of a reviewed message for a session (consent basis: a registration request by email);
    for a session on several dates, the date given, else the one date the subject names."""
    message, slug = _waiting(ctx, ref, session_slug)
    if not message.sender:
        raise DomainError(f"{message.key}: the message has no sender address to register")
    with ctx.store.transaction():
        outcome = register(ctx, slug, message.sender, name=name or parseaddr(message.sender)[0],
                           source=f"registration request by email {message.key}"[:200],
                           occurrence=occurrence or _date_named(ctx, slug, message.subject))
        detail = f"registered for {slug}: {outcome.registration.status.value}" + (
            " (already registered)" if outcome.already else "")
        action_id = record(ctx, message.key, "registered", outcome.registration.key, detail,
                           {"session": slug}, undoable=not outcome.already)
        _decided(ctx, message, MessageState.RESOLVED, action_id)
    found = inbox_actions(ctx).get(action_id)
    assert found is not None
    return found


def cancel_sender(ctx: AppContext, ref: str, session_slug: str | None = None) -> InboxAction:
    """Give up the sender's place in a session, as their cancellation e-mail asks (the waiting list is promoted and
    they get the usual withdrawal notice); undoable from the log."""
    message, slug = _waiting(ctx, ref, session_slug)
    key = safe_key(message.sender)
    registration = ctx.store.registrations.get(registration_id(slug, key)) if key else None
    if registration is None or not registration.active:
        raise DomainError(f"{message.sender or 'the sender'} holds no place in {slug}")
    with ctx.store.transaction():
        held = registration.status is RegistrationStatus.CONFIRMED
        result = cancel_registration(ctx, slug, key)
        promoted = ", ".join(p.email for p in result.promoted)
        detail = f"cancelled {slug} as asked by e-mail" + (f"; promoted {promoted}" if promoted else "")
        action_id = record(ctx, message.key, "cancelled by e-mail", key, detail,
                           {"session": slug, "held": held, "occurrence": registration.occurrence_id})
        _decided(ctx, message, MessageState.RESOLVED, action_id)
    found = inbox_actions(ctx).get(action_id)
    assert found is not None
    return found


def _date_named(ctx: AppContext, slug: str, subject: str) -> str | None:
    """The one date of a multi-date session that the subject names ("16 February"), if exactly one is."""
    session = ctx.store.sessions.get(slug)
    if session is None or not session.occurrences:
        return None
    named = dates_named(session, subject)
    return named[0] if len(named) == 1 else None


def dismiss(ctx: AppContext, ref: str) -> InboxMessage:
    """Nothing to do for this message (it stays in the review folder of the mailbox)."""
    message = find_message(ctx, ref)
    if message.state is not MessageState.REVIEW:
        raise DomainError(f"{message.key} is not waiting for review ({message.state.value})")
    return _decided(ctx, message, MessageState.DISMISSED)
