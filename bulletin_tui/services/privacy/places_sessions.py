"""Places in the database about sessions: registrations (with attendance), the session mail queued for them, and
questionnaire responses (a name and address only when staff kept them; free-text comments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.sessions import RegistrationStatus
from ..context import AppContext
from ..feedback.imports import responses
from ..feedback.privacy import erase_feedback, feedback_data
from ..sessions.mail import mail_queue
from ..sessions.registrations import promote_waiting
from .place import Held, Person, Place, Survey, oldest_of

if TYPE_CHECKING:
    from .subject import ErasureReport


def _registrations_survey(ctx: AppContext) -> Survey:
    regs = ctx.store.registrations.all()
    return Survey(len(regs), "registrations", oldest_of([r.registered_at for r in regs]))


def _registrations_held(ctx: AppContext, person: Person) -> Held:
    found = [r.model_dump(mode="json") for r in ctx.store.registrations if r.key == person.key]
    return Held({"registrations": found}, len(found))


def _erase_registrations(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    """Delete the person's registrations (confirmed and waiting); refill the places they free."""
    doomed = [r for r in ctx.store.registrations if r.key == person.key]
    report.registrations = len(ctx.store.registrations.delete_many([r.id for r in doomed]))
    for slug in sorted({r.session_slug for r in doomed if r.status is RegistrationStatus.CONFIRMED}):
        session = ctx.store.sessions.get(slug)
        if session is not None and not session.cancelled:
            report.promoted += len(promote_waiting(ctx, session))
    return report.registrations


def _their_registrations(ctx: AppContext, person: Person) -> set[str]:
    return {r.id for r in ctx.store.registrations if r.key == person.key}


def _mail_survey(ctx: AppContext) -> Survey:
    queued = mail_queue(ctx).all()
    return Survey(len(queued), "messages", oldest_of([m.queued_at for m in queued]),
                  "linked to a registration; no address of their own")


def _mail_held(ctx: AppContext, person: Person) -> Held:
    ids = _their_registrations(ctx, person)
    found = [m.model_dump(mode="json") for m in mail_queue(ctx) if m.registration_id in ids]
    return Held({"session_mail": found}, len(found))


def _erase_mail(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    """Delete the mail queued for the person's registrations (before they go: that is how it is found)."""
    ids, queue = _their_registrations(ctx, person), mail_queue(ctx)
    report.queued_mail = len(queue.delete_many([m.id for m in queue if m.registration_id in ids]))
    return report.queued_mail


def _feedback_survey(ctx: AppContext) -> Survey:
    personal = [r for r in responses(ctx) if r.name or r.email or r.comments]
    return Survey(len(personal), "responses", oldest_of([r.submitted or r.imported_at for r in personal]),
                  "free-text comments, and a name and address only where staff kept them")


def _feedback_held(ctx: AppContext, person: Person) -> Held:
    found = feedback_data(ctx, person.email)
    return Held({"feedback_responses": found}, len(found))


def _erase_feedback(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.feedback_responses = erase_feedback(ctx, person.email)
    return report.feedback_responses


SESSION_PLACES = (
    Place("session_mail", "bulletin.json: session_mail", "invites, updates, reminders queued for a registration",
          _mail_survey, _mail_held, _erase_mail, "removed", tables=("session_mail",)),
    Place("registrations", "bulletin.json: registrations", "address, name, organisation, access needs, "
          "attendance, calendar reply", _registrations_survey, _registrations_held, _erase_registrations,
          "removed (the waiting list moves up)", tables=("registrations",)),
    Place("feedback_responses", "bulletin.json: feedback_responses", "comments; name and address if kept",
          _feedback_survey, _feedback_held, _erase_feedback, "name, address and comments removed (ratings stay)",
          tables=("feedback_responses",)),
)
