"""Session mail (invites, updates, cancellations, reminders): a durable queue in the database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from ...domain.base import Model
from ...domain.occurrences import offers, places_phrase, pool_mode, pool_registrations
from ...domain.sessions import InfoSession, Registration, RegistrationStatus, place_in_group
from ...domain.text import OneLine, Slug
from ...invites.ics import Invitee, Organizer, build_invite
from ...invites.message import (
    SUBJECT_PREFIX,
    InviteKind,
    Recipient,
    body_lines,
    build_invite_email,
    greeting_for,
    http_date,
    opening_for,
    subject_for,
)
from ...rendering.footer import privacy_text_lines
from ...rendering.invite import InviteView, invite_html, invite_rows
from ...storage.collection import Collection
from ..context import AppContext

TABLE = "session_mail"


class MailOutcome(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCERTAIN = "uncertain"


class QueuedMail(Model):
    """One message to one registrant, queued by a change and delivered later (or at once)."""

    id: OneLine = Field(min_length=1, max_length=160)
    session_slug: Slug
    registration_id: Slug
    occurrence_id: str = Field(default="", max_length=40, description="the date it is about ('' single-date)")
    kind: InviteKind
    order: int = Field(ge=0, description="queue order (clocks can stand still)")
    queued_at: datetime
    delivered_at: datetime | None = None
    outcome: MailOutcome = MailOutcome.PENDING
    reply: OneLine = Field(default="", max_length=500, description="server reply or why it was skipped")
    sequence_offset: int = Field(default=0, ge=0, description=(
        "added to the session's SEQUENCE for this person: raised on each withdrawal and re-invite, so the "
        "SEQUENCE their calendar sees for this UID never repeats after a CANCEL and never goes down"))

    @property
    def pending(self) -> bool:
        return self.outcome in (MailOutcome.PENDING, MailOutcome.DEFERRED)


def mail_queue(ctx: AppContext) -> Collection[QueuedMail]:
    return ctx.store.collection(TABLE, QueuedMail, lambda m: m.id)


def organizer_of(ctx: AppContext) -> Organizer:
    return Organizer(email=ctx.settings.sender.from_address, name=ctx.settings.sender.team_name)


def queue_mail(
    ctx: AppContext, registration: Registration, kind: InviteKind, *, key: str | None = None,
    occurrence_id: str | None = None,
) -> QueuedMail | None:
    """Queue one message about the person's date (or `occurrence_id`); with a `key`, a message already queued
    under it is never queued twice."""
    queue = mail_queue(ctx)
    if key is not None:
        mail_id = f"{registration.id}-{key}"
        if mail_id in queue:
            return None
    else:
        mail_id = f"{registration.id}-{kind.value}-{_count_for(queue, registration.id) + 1}"
    date = registration.occurrence_id if occurrence_id is None else occurrence_id
    mail = QueuedMail(id=mail_id, session_slug=registration.session_slug, registration_id=registration.id,
                      occurrence_id=date, kind=kind, order=len(queue), queued_at=ctx.clock.now(),
                      sequence_offset=_sequence_offset(queue, registration.id, kind))
    return queue.put(mail)


def _count_for(queue: Collection[QueuedMail], registration_id: str) -> int:
    return sum(1 for row in queue.rows() if row["registration_id"] == registration_id)


def _sequence_offset(queue: Collection[QueuedMail], registration_id: str, kind: InviteKind) -> int:
    """The person's SEQUENCE offset for a new message: one more than before on a withdrawal (CANCEL) and on an
    invite after earlier calendar mail (a re-invite), so clients that ignore a seen SEQUENCE apply both."""
    earlier = [row for row in queue.rows() if row["registration_id"] == registration_id]
    offset = max((int(row.get("sequence_offset", 0)) for row in earlier), default=0)
    had_calendar = any(InviteKind(row["kind"]).method is not None for row in earlier)
    reinvite = kind is InviteKind.INVITE and had_calendar
    return offset + 1 if kind is InviteKind.WITHDRAWN or reinvite else offset


def calendar_sequence(session: InfoSession, mail: QueuedMail) -> int:
    """The SEQUENCE this message carries: the session's (time, place, link, status) plus the person's offset."""
    return session.sequence + mail.sequence_offset


def pending_mail(ctx: AppContext, session_slug: str | None = None,
                 kinds: frozenset[InviteKind] | None = None) -> list[QueuedMail]:
    """Undelivered messages (of one session, of some kinds) in the order they were queued."""
    rows = [m for m in mail_queue(ctx) if m.pending and (session_slug is None or m.session_slug == session_slug)
            and (kinds is None or m.kind in kinds)]
    return sorted(rows, key=lambda m: m.order)


# Messages that offer the other dates with places: a full date's waiting list, and a cancelled date.
OFFERING_KINDS = frozenset({InviteKind.WAITLISTED, InviteKind.CANCEL_SESSION, InviteKind.WAITLIST_CANCELLED})


def mail_view(session: InfoSession, mail: QueuedMail) -> InfoSession | None:
    """The session as the date the message is about (None if that date no longer exists)."""
    occurrence = session.occurrence(mail.occurrence_id)
    return None if occurrence is None else session.at(occurrence)


def render_mail(ctx: AppContext, mail: QueuedMail, session: InfoSession, registration: Registration) -> bytes:
    """The complete message bytes for a queued mail, from the session (as the mail's date) as it is now."""
    organizer = organizer_of(ctx)
    whole = session
    session = mail_view(session, mail) or session
    session = session.model_copy(update={"sequence": calendar_sequence(session, mail)})
    method = mail.kind.method
    ics = None if method is None else build_invite(
        session, method, organizer, Invitee(registration.email, registration.name), stamp=mail.queued_at)
    waiting_place: int | None = None
    offered: tuple[str, ...] = ()
    if registration.status is RegistrationStatus.WAITLISTED or mail.kind in OFFERING_KINDS:
        waiting_place, offered = _waiting(ctx, whole, registration)
    recipient = Recipient(registration.email, registration.name, registration.mode,
                          promoted=registration.promoted_at is not None, waiting_place=waiting_place, offers=offered)
    sender = ctx.settings.sender
    return build_invite_email(mail.kind, session, recipient, organizer, ics, date_header=http_date(mail.queued_at),
                              domain=sender.identity_domain, reply_to=sender.reply_to,
                              html_body=invite_body(ctx, mail.kind, session, recipient),
                              text_footer=tuple(privacy_text_lines(sender.privacy_notice_url)))


def _waiting(ctx: AppContext, session: InfoSession, registration: Registration) -> tuple[int | None, tuple[str, ...]]:
    """Their place in their date's waiting list (if waiting), and the other dates that have places (offered)."""
    regs = ctx.store.registrations.filter(lambda r: r.session_slug == session.slug)
    date = session.occurrence(registration.occurrence_id) or session.dates()[0]
    pool = pool_registrations(regs, date, pool_mode(date, registration.mode))
    found = offers(session, regs, besides=date.id, mode=registration.mode, now=ctx.clock.now())
    waiting = registration.status is RegistrationStatus.WAITLISTED
    return (place_in_group(pool, registration.id) if waiting else None,
            tuple(f"{d.label} ({places_phrase(d)})" for d in found))


def invite_body(ctx: AppContext, kind: InviteKind, session: InfoSession, recipient: Recipient) -> str:
    """The HTML part in the bulletin's shell: what, when, how to join (a real link), how to cancel."""
    organizer, sender = organizer_of(ctx), ctx.settings.sender
    rows = body_lines(kind, session, recipient, organizer)
    view = InviteView(subject=subject_for(kind, session), title=session.title, heading=SUBJECT_PREFIX[kind],
                      greeting=greeting_for(recipient), opening=opening_for(kind, recipient), rows=invite_rows(rows),
                      team_name=sender.team_name, team_email=sender.from_address, telephone=sender.telephone,
                      privacy_notice_url=sender.privacy_notice_url)
    return invite_html(ctx.settings.templates_dir, view)
