"""Subject access (everything held about one person) and erasure (remove it all, keep only a keyed HMAC): both go
through every place in `places.PLACES`, so neither can miss a place the other (or the audit) knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ...domain.errors import NotFoundError
from ...domain.subscribers import AuditEntry
from ...storage.collection import Collection
from ..context import AppContext
from ..subscribers.suppression import suppression_digest
from .place import Person
from .places import PLACES
from .places_files import backups_holding

AUDIT_TABLE = "audit"
EXTERNAL_COPIES = ("Files exported outside the data folder (subscribers export, mailings export, report, "
                   "sessions export-attendance, show-data --out) may hold the address too: finding and deleting "
                   "them is the operator's responsibility.")
__all__ = ["AUDIT_TABLE", "EXTERNAL_COPIES", "ErasureReport", "audit_log", "backups_holding", "erase",
           "subject_access"]


@dataclass
class ErasureReport:
    """What an erasure removed, and which backups still hold the person until when."""

    digest: str
    reason: str = "erasure request"
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
    log_lines: int = 0
    places: dict[str, int] = field(default_factory=dict)
    """What erasure did in each place (`places.PLACES` order): records removed, scrubbed or (copies) reported."""


def audit_log(ctx: AppContext) -> Collection[AuditEntry]:
    return ctx.store.collection(AUDIT_TABLE, AuditEntry, lambda entry: entry.id)


def subject_access(ctx: AppContext, email: str) -> dict[str, Any]:
    """Everything held about one address, as JSON-ready data: all that `erase` would remove or redact, plus the
    copies (exports, backups) that hold it and a count per place; NotFoundError if nothing at all is held."""
    person = Person.of(ctx, email)
    data: dict[str, Any] = {"email": person.email, "generated_at": ctx.clock.now().isoformat(),
                            "controller": ctx.settings.sender.team_name}
    found: dict[str, int] = {}
    for place in PLACES:
        held = place.subject(ctx, person)
        found[place.name] = held.count
        for key, value in held.data.items():
            data[key] = {**data[key], **value} if isinstance(value, dict) and key in data else value
    if not any(found[p.name] for p in PLACES if not p.copy):
        raise NotFoundError(f"nothing is held about {person.email}")
    return {**data, "places": found, "not_covered": EXTERNAL_COPIES}


def erase(ctx: AppContext, email: str, reason: str = "erasure request") -> ErasureReport:
    """Remove the person everywhere (one write for the database; ledgers, outbox and journal atomically per file),
    suppress the address, audit without it; then report the copies (exports, backups) that still hold it."""
    person = Person.of(ctx, email)
    report = ErasureReport(digest=suppression_digest(ctx, email), reason=reason)
    with ctx.store.transaction():
        for place in PLACES:
            if not place.after_write:
                report.places[place.name] = place.erase(ctx, person, report)
        audit_log(ctx).put(_audit(ctx, report))
    for place in PLACES:
        if place.after_write:
            report.places[place.name] = place.erase(ctx, person, report)
    return report


def _audit(ctx: AppContext, report: ErasureReport) -> AuditEntry:
    now = ctx.clock.now()
    ledger = "not available" if report.ledger_entries is None else str(report.ledger_entries)
    detail = (f"erased {report.digest[:16]}: subscriber record {'removed' if report.subscriber else 'absent'}, "
              f"{report.registrations} registrations, {report.queued_mail} queued messages, "
              f"{report.import_records} import records scrubbed, "
              f"ledger entries redacted: {ledger}, outbox messages removed: {report.outbox_messages}, "
              f"inbox records scrubbed: {report.inbox_records}, "
              f"feedback responses made anonymous: {report.feedback_responses}, "
              f"web requests removed from the journal: {report.web_requests}, log lines removed: {report.log_lines}")
    return AuditEntry(id=f"erasure-{now:%Y%m%d-%H%M%S-%f}-{report.digest[:8]}", at=now, action="erasure",
                      detail=detail, operator=ctx.operator)
