"""Subject access (everything held about one person) and erasure (remove it all, keep only a keyed HMAC)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ...domain.errors import NotFoundError
from ...domain.identity import address_spellings
from ...domain.sessions import RegistrationStatus
from ...domain.subscribers import AuditEntry
from ...domain.text import normalise_email
from ...storage.backups import backup_expiry, list_backups
from ...storage.collection import Collection
from ..context import AppContext
from ..feedback.privacy import erase_feedback, feedback_data
from ..inbox.privacy import erase_inbox, holds, inbox_data
from ..privacy.files import exports_holding, outbox_messages_to, remove_outbox_messages
from ..sessions.mail import mail_queue
from ..sessions.registrations import promote_waiting
from ..subscribers.imports import import_records
from ..subscribers.suppression import suppress, suppression_digest, suppression_reason
from ..web.privacy import erase_journal, journal_data

AUDIT_TABLE = "audit"
EXTERNAL_COPIES = ("Files exported outside the data folder (subscribers export, campaigns export, report, "
                   "sessions export-attendance, show-data --out) may hold the address too: finding and deleting "
                   "them is the operator's responsibility.")


@dataclass
class ErasureReport:
    """What an erasure removed, and which backups still hold the person until when."""

    digest: str
    subscriber: bool = False
    registrations: int = 0
    queued_mail: int = 0
    promoted: int = 0
    import_records: int = 0
    ledger_entries: int | None = None
    outbox_messages: int = 0
    backups: list[tuple[Path, datetime]] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)
    inbox_records: int = 0
    feedback_responses: int = 0
    web_requests: int = 0


def audit_log(ctx: AppContext) -> Collection[AuditEntry]:
    return ctx.store.collection(AUDIT_TABLE, AuditEntry, lambda entry: entry.id)


def _send_hook(name: str) -> Callable[..., Any] | None:
    """A function of the send service, if that module is installed (it is optional for this area)."""
    try:
        module = importlib.import_module("bulletin_tui.services.campaigns.send")
    except ImportError:
        return None
    return getattr(module, name, None)


def subject_access(ctx: AppContext, email: str) -> dict[str, Any]:
    """Everything held about one address, as JSON-ready data: all that `erase` would remove or redact, plus the
    export files that hold it; NotFoundError if nothing at all is held."""
    key = normalise_email(email)
    person = ctx.store.subscribers.get(key)
    held = [r for r in ctx.store.registrations if r.key == key]
    registrations = [r.model_dump(mode="json") for r in held]
    ids = {r.id for r in held}
    session_mail = [m.model_dump(mode="json") for m in mail_queue(ctx) if m.registration_id in ids]
    ledger_of = _send_hook("ledger_entries_for")
    ledger = list(ledger_of(ctx, email)) if ledger_of else []
    imports = [r.id for r in import_records(ctx) if key in r.after or key in r.before]
    reason = suppression_reason(ctx, email)
    inbox = inbox_data(ctx, key)
    outbox = [str(path) for path in outbox_messages_to(ctx, email)]
    feedback = feedback_data(ctx, email)
    web = journal_data(ctx, email)
    if (person is None and not registrations and not ledger and reason is None and not outbox and not holds(inbox)
            and not feedback and not web):
        raise NotFoundError(f"nothing is held about {email.strip()}")
    record = person.model_dump(mode="json", exclude={"consent"}) if person else None
    return {
        "email": email.strip(), "generated_at": ctx.clock.now().isoformat(), "controller":
        ctx.settings.sender.team_name, "subscriber": record, "smtputf8": person.smtputf8 if person else None,
        "consent_history": [c.model_dump(mode="json") for c in person.consent] if person else [],
        "imports": imports, "registrations": registrations, "session_mail": session_mail, "send_ledger": ledger,
        "outbox_messages": outbox, "suppressed": reason, "inbox": inbox, "feedback_responses": feedback,
        "web_requests": web,
        "export_files": [str(path) for path in exports_holding(ctx, _spellings(ctx, email, key))],
        "not_covered": EXTERNAL_COPIES,
    }


def _spellings(ctx: AppContext, email: str, key: str) -> set[str]:
    """Every spelling of the person's address that files may hold."""
    spellings = address_spellings(email) | {r.email for r in ctx.store.registrations if r.key == key}
    person = ctx.store.subscribers.get(key)
    return spellings | ({person.email} if person else set())


def erase(ctx: AppContext, email: str, reason: str = "erasure request") -> ErasureReport:
    """Remove the person everywhere in the database, suppress the address, and audit without it."""
    key = normalise_email(email)
    report = ErasureReport(digest=suppression_digest(ctx, email))
    spellings = _spellings(ctx, email, key)
    with ctx.store.transaction():
        report.subscriber = ctx.store.subscribers.delete(key)
        _remove_registrations(ctx, key, report)
        report.import_records = _scrub_imports(ctx, key)
        suppress(ctx, email, reason)
        redact = _send_hook("redact_ledgers")
        report.ledger_entries = redact(ctx, email) if redact else None
        report.outbox_messages = remove_outbox_messages(ctx, email)
        report.inbox_records = erase_inbox(ctx, key)
        report.feedback_responses = erase_feedback(ctx, email)
        report.web_requests = erase_journal(ctx, email)
        audit_log(ctx).put(_audit(ctx, report))
    report.backups = backups_holding(ctx, spellings)
    report.exports = exports_holding(ctx, spellings)
    return report


def _remove_registrations(ctx: AppContext, key: str, report: ErasureReport) -> None:
    """Delete the person's registrations (confirmed and waiting) and their queued mail; refill freed places."""
    doomed = [r for r in ctx.store.registrations if r.key == key]
    report.registrations = len(ctx.store.registrations.delete_many([r.id for r in doomed]))
    ids = {r.id for r in doomed}
    queue = mail_queue(ctx)
    report.queued_mail = len(queue.delete_many([m.id for m in queue if m.registration_id in ids]))
    for slug in sorted({r.session_slug for r in doomed if r.status is RegistrationStatus.CONFIRMED}):
        session = ctx.store.sessions.get(slug)
        if session is not None and not session.cancelled:
            report.promoted += len(promote_waiting(ctx, session))


def _scrub_imports(ctx: AppContext, key: str) -> int:
    records, changed = import_records(ctx), []
    for record in records:
        if key in record.after or key in record.before or key in record.undo_left:
            record.after = {k: v for k, v in record.after.items() if k != key}
            record.before = {k: v for k, v in record.before.items() if k != key}
            record.undo_left = {k: v for k, v in record.undo_left.items() if k != key}
            record.undo_kept_withdrawals = [k for k in record.undo_kept_withdrawals if k != key]
            changed.append(record)
    records.put_many(changed)
    return len(changed)


def _audit(ctx: AppContext, report: ErasureReport) -> AuditEntry:
    now = ctx.clock.now()
    ledger = "not available" if report.ledger_entries is None else str(report.ledger_entries)
    detail = (f"erased {report.digest[:16]}: subscriber record {'removed' if report.subscriber else 'absent'}, "
              f"{report.registrations} registrations, {report.queued_mail} queued messages, "
              f"{report.import_records} import records scrubbed, "
              f"ledger entries redacted: {ledger}, outbox messages removed: {report.outbox_messages}, "
              f"inbox records scrubbed: {report.inbox_records}, "
              f"feedback responses made anonymous: {report.feedback_responses}, "
              f"web requests removed from the journal: {report.web_requests}")
    return AuditEntry(id=f"erasure-{now:%Y%m%d-%H%M%S-%f}-{report.digest[:8]}", at=now, action="erasure",
                      detail=detail, operator=ctx.operator)


def backups_holding(ctx: AppContext, spellings: set[str]) -> list[tuple[Path, datetime]]:
    """Backups whose bytes still contain the address, with the moment each will have been pruned."""
    needles = [s.encode() for s in spellings] + [s.lower().encode() for s in spellings]
    found = []
    for path in list_backups(ctx.store.db.path):
        raw = path.read_bytes()
        lowered = raw.lower()
        if any(n in raw or n in lowered for n in needles):
            found.append((path, backup_expiry(path)))
    return found
