"""Retention classes kept in the database: registrations and attendance (removed; each session's counts kept),
questionnaire free text (made anonymous; ratings stay), team-mailbox records (made anonymous; stale bounce scores
removed) and people who left every list long ago (removed with their consent evidence; yearly counts kept)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from ...domain.subscribers import MembershipStatus, Subscriber
from ..aggregates.kept import keep_sessions
from ..aggregates.kept_people import keep_counted
from ..context import AppContext
from ..feedback.imports import responses
from ..inbox.drafts import drafts_table
from ..inbox.privacy import scrubbed_change, scrubbed_message
from ..inbox.records import bounce_scores, inbox_actions, inbox_messages
from ..sessions.mail import mail_queue
from ..subscribers.imports import import_records
from .places_people import scrub_imports
from .retention_class import MARKER, Due, RetentionClass


def _find_registrations(ctx: AppContext, cutoff: datetime) -> Due:
    due, ends = Due(), {}
    for session in ctx.store.sessions:
        ends[session.slug] = max(d.end for d in session.dates())
    regs = [r for r in ctx.store.registrations if ends.get(r.session_slug, r.registered_at) < cutoff]
    due.found("registrations", len(regs), [ends.get(r.session_slug, r.registered_at) for r in regs])
    ids = {r.id for r in regs}
    known = set(ctx.store.registrations.keys())
    mail = [m for m in mail_queue(ctx) if m.registration_id in ids or (m.registration_id not in known
                                                                       and m.queued_at < cutoff)]
    due.found("session_mail", len(mail), [m.queued_at for m in mail])
    due.payload = {"registrations": sorted(ids), "mail": [m.id for m in mail],
                   "sessions": sorted({r.session_slug for r in regs if r.session_slug in ends})}
    return due


def _keep_session_figures(ctx: AppContext, due: Due, now: datetime) -> None:
    due.payload["kept_sessions"] = keep_sessions(ctx, due.payload["sessions"], now)


def _remove_registrations(ctx: AppContext, due: Due, now: datetime) -> None:
    mail_queue(ctx).delete_many(due.payload["mail"])
    ctx.store.registrations.delete_many(due.payload["registrations"])


def _find_feedback(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    found = [r for r in responses(ctx) if (r.name or r.email or (r.comments and r.comments != [MARKER]))
             and (r.submitted or r.imported_at) < cutoff]
    due.found("feedback_responses", len(found), [r.submitted or r.imported_at for r in found])
    due.payload = {"responses": [r.id for r in found]}
    return due


def _anonymise_feedback(ctx: AppContext, due: Due, now: datetime) -> None:
    table = responses(ctx)
    found = [table.get(key) for key in due.payload["responses"]]
    table.put_many(r.model_copy(update={"name": "", "email": "", "comments": [MARKER] if r.comments else []})
                   for r in found if r is not None)


def _find_inbox(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    messages = [m for m in inbox_messages(ctx) if m.received_at < cutoff and (m.sender or m.subject not in
                                                                             ("", MARKER, "(erased)"))]
    changes = [a for a in inbox_actions(ctx) if a.at < cutoff and (a.person or a.undo)]
    scores = [s for s in bounce_scores(ctx) if s.last_day is not None and s.last_day < cutoff.date()]
    drafts = [d for d in drafts_table(ctx) if d.received_at < cutoff and (d.contact_email or d.contact_name or any(
        a.kept_as for a in d.attachments))]
    due.found("inbox_messages", len(messages), [m.received_at for m in messages])
    due.found("inbox_changes", len(changes), [a.at for a in changes])
    due.found("bounce_scores", len(scores), [datetime.combine(s.last_day, time(), UTC) for s in scores if s.last_day])
    due.found("contributions", len(drafts), [d.received_at for d in drafts])
    due.payload = {"messages": [m.key for m in messages], "changes": [a.id for a in changes],
                   "scores": [s.key for s in scores], "drafts": [d.key for d in drafts],
                   "attachments": [a.kept_as for d in drafts for a in d.attachments if a.kept_as]}
    return due


def _anonymise_inbox(ctx: AppContext, due: Due, now: datetime) -> None:
    messages, changes, drafts = inbox_messages(ctx), inbox_actions(ctx), drafts_table(ctx)
    messages.put_many(scrubbed_message(m, MARKER) for m in map(messages.get, due.payload["messages"]) if m)
    changes.put_many(scrubbed_change(a, MARKER) for a in map(changes.get, due.payload["changes"]) if a)
    bounce_scores(ctx).delete_many(due.payload["scores"])
    theirs = [d for d in map(drafts.get, due.payload["drafts"]) if d]
    drafts.put_many(d.model_copy(update={"contact_name": "", "contact_email": "", "attachments": [
        a.model_copy(update={"kept_as": ""}) for a in d.attachments]}) for d in theirs)
    items = [ctx.store.items.get(d.item_id) for d in theirs if d.item_id]
    ctx.store.items.put_many(i.model_copy(update={"contributed_by": "(removed) by e-mail"}) for i in items if i)


def _remove_attachments(ctx: AppContext, due: Due) -> None:
    for kept_as in due.payload.get("attachments", []):
        (ctx.data_dir / kept_as).unlink(missing_ok=True)


def left_at(person: Subscriber) -> datetime | None:
    """When the person left their last list; None while they are on one."""
    if any(m.status is MembershipStatus.SUBSCRIBED for m in person.lists.values()):
        return None
    moments = [m.changed_at for m in person.lists.values()] + [c.at for c in person.consent]
    return max(moments, default=person.updated_at)


def _find_leavers(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    leavers = [(p.key, left) for p in ctx.store.subscribers if (left := left_at(p)) is not None and left < cutoff]
    due.found("subscribers", len(leavers), [left for _, left in leavers])
    keys = {key for key, _ in leavers}
    traces = [r for r in import_records(ctx) if keys & (set(r.after) | set(r.before) | set(r.undo_left))]
    due.found("imports", len(traces), [])
    due.payload = {"people": sorted(keys)}
    return due


def _keep_yearly_counts(ctx: AppContext, due: Due, now: datetime) -> None:
    people = [p for p in map(ctx.store.subscribers.get, due.payload["people"]) if p]
    due.payload["kept_years"] = keep_counted(ctx, people, now)


def _remove_leavers(ctx: AppContext, due: Due, now: datetime) -> None:
    keys = set(due.payload["people"])
    scrub_imports(ctx, keys)
    ctx.store.subscribers.delete_many(sorted(keys))


DATABASE_CLASSES = (
    RetentionClass("registrations and attendance", "registrations_months", "after the session's last date",
                   "removed; each session's registered and attended counts are kept", "removed",
                   ("registrations", "session_mail"), _find_registrations, _keep_session_figures,
                   _remove_registrations),
    RetentionClass("feedback free text", "feedback_text_months", "after the response",
                   "comments and any name or address removed; the ratings stay, anonymous", "made anonymous",
                   ("feedback_responses",), _find_feedback, apply_db=_anonymise_feedback),
    RetentionClass("inbox records", "inbox_months", "after the message arrived",
                   "sender, subject, excerpt, person and undo data removed; stale bounce scores removed",
                   "made anonymous",
                   ("inbox_messages", "inbox_changes", "bounce_scores", "contributions"), _find_inbox,
                   apply_db=_anonymise_inbox, apply_files=_remove_attachments),
    RetentionClass("consent evidence of people who left", "leavers_months", "after they left their last list",
                   "the person's record and consent history removed, and their import traces; yearly subscriber "
                   "counts are kept", "removed", ("subscribers", "imports"), _find_leavers, _keep_yearly_counts,
                   _remove_leavers),
)
