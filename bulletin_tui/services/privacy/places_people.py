"""Places in the database that hold people as such: subscribers (with their consent history), import records, the
suppression list (keyed hashes only) and the partner registry's individual addresses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...domain.identity import canonical_email
from ..context import AppContext
from ..partners.registry import partners_table
from ..subscribers.imports import import_records
from ..subscribers.suppression import suppress, suppression_reason, suppressions
from .place import Held, Person, Place, Survey, oldest_of

if TYPE_CHECKING:
    from .subject import ErasureReport


def _subscribers_survey(ctx: AppContext) -> Survey:
    rows = list(ctx.store.subscribers.rows())  # raw rows: fast for tens of thousands of people
    return Survey(len(rows), "people", oldest_of([datetime.fromisoformat(r["created_at"]) for r in rows]))


def _subscriber_held(ctx: AppContext, person: Person) -> Held:
    found = ctx.store.subscribers.get(person.key)
    return Held({"subscriber": found.model_dump(mode="json", exclude={"consent"}) if found else None,
                 "smtputf8": found.smtputf8 if found else None,
                 "consent_history": [c.model_dump(mode="json") for c in found.consent] if found else []},
                1 if found else 0)


def _erase_subscriber(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.subscriber = ctx.store.subscribers.delete(person.key)
    return int(report.subscriber)


def _imports_survey(ctx: AppContext) -> Survey:
    records = [r for r in import_records(ctx) if r.after or r.before or r.undo_left]
    return Survey(len(records), "imports", oldest_of([r.at for r in records]))


def _imports_held(ctx: AppContext, person: Person) -> Held:
    found = [r.id for r in import_records(ctx) if person.key in r.after or person.key in r.before]
    return Held({"imports": found}, len(found))


def scrub_imports(ctx: AppContext, keys: set[str]) -> int:
    """Remove these people from every import record (its undo data and consent evidence); records changed."""
    records, changed = import_records(ctx), []
    for record in records:
        if keys & (set(record.after) | set(record.before) | set(record.undo_left)):
            record.after = {k: v for k, v in record.after.items() if k not in keys}
            record.before = {k: v for k, v in record.before.items() if k not in keys}
            record.undo_left = {k: v for k, v in record.undo_left.items() if k not in keys}
            record.undo_kept_withdrawals = [k for k in record.undo_kept_withdrawals if k not in keys]
            changed.append(record)
    records.put_many(changed)
    return len(changed)


def _erase_imports(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.import_records = scrub_imports(ctx, {person.key})
    return report.import_records


def _suppressions_survey(ctx: AppContext) -> Survey:
    entries = suppressions(ctx).all()
    return Survey(len(entries), "hashes", oldest_of([e.at for e in entries]),
                  "keyed hashes, no address: kept so opt-outs, bounces and erasures are honoured")


def _suppression_held(ctx: AppContext, person: Person) -> Held:
    reason = suppression_reason(ctx, person.email)
    return Held({"suppressed": reason}, 1 if reason is not None else 0)


def _erase_into_suppression(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    suppress(ctx, person.email, report.reason)
    return 1


def _partners_survey(ctx: AppContext) -> Survey:
    holding = [p for p in partners_table(ctx) if p.addresses]
    return Survey(sum(len(p.addresses) for p in holding), "addresses", oldest_of([p.created_at for p in holding]),
                  "individual addresses of partner contacts (domains are not personal)")


def _partners_holding(ctx: AppContext, person: Person) -> list[str]:
    return [p.slug for p in partners_table(ctx) if any(canonical_email(a) == person.key for a in p.addresses)]


def _partners_held(ctx: AppContext, person: Person) -> Held:
    found = _partners_holding(ctx, person)
    return Held({"partner_contacts": found}, len(found))


def _erase_partner_contact(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    table, slugs = partners_table(ctx), set(_partners_holding(ctx, person))
    changed = [p.model_copy(update={"addresses": [a for a in p.addresses if canonical_email(a) != person.key]})
               for p in table if p.slug in slugs]
    table.put_many(changed)
    return len(changed)


PEOPLE_PLACES = (
    Place("subscribers", "bulletin.json: subscribers", "address, name, organisation, role, area, topics, lists and "
          "the consent history", _subscribers_survey, _subscriber_held, _erase_subscriber, "removed",
          tables=("subscribers",)),
    Place("imports", "bulletin.json: imports", "each imported person's key and earlier record (consent evidence, "
          "undo data)", _imports_survey, _imports_held, _erase_imports, "person scrubbed from each import",
          tables=("imports",)),
    Place("suppressions", "bulletin.json: suppressions", "a keyed hash of the address (no address)",
          _suppressions_survey, _suppression_held, _erase_into_suppression, "the address is added as a hash "
          "(kept: it is how the erasure is honoured)", tables=("suppressions",)),
    Place("partner_contacts", "bulletin.json: partners", "individual addresses a partner organisation writes from",
          _partners_survey, _partners_held, _erase_partner_contact, "address removed from the partner",
          tables=("partners",)),
)
