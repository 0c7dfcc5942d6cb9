"""CSV import: a preview that changes nothing, a commit that is one atomic write, and an exact undo."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from ...domain.organisation import OrganisationType, guess_type
from ...domain.subscribers import (
    ConsentAction,
    ConsentRecord,
    ImportRecord,
    LawfulBasis,
    Membership,
    MembershipStatus,
    Subscriber,
)
from ...domain.text import needs_smtputf8, normalise_email
from ...storage.collection import Collection
from ..context import AppContext
from ..subscribers.csvread import CsvRow, read_csv
from ..subscribers.import_rows import RowFields, row_fields
from ..subscribers.lists import resolve_list
from ..subscribers.suppression import suppression_check

TABLE = "imports"
FIRST_ROWS = 5


@dataclass(frozen=True)
class RowNote:
    """A row left out of the import, and why."""

    row: int
    reason: str


class NewPerson(NamedTuple):
    """A person the import would create: validated fields only (compact: 100,000 of them stay small)."""

    email: str
    name: str
    organisation: str
    role: str
    area: str
    topics: tuple[str, ...]
    opted_out: bool
    organisation_type: OrganisationType
    type_guessed: bool


class TypeTally(NamedTuple):
    """People of one organisation type in an import: all, those guessed from the address, and of those the ones
    whose domain is not a known one (a company guess that only means "not personal mail, not a public body")."""

    total: int
    guessed: int
    unknown_domain: int


@dataclass
class ImportPreview:
    """What an import would do; nothing is written until `commit_import`."""

    import_id: str
    file_name: str
    file_sha256: str
    list_slug: str
    basis: LawfulBasis
    encoding: str
    delimiter: str
    ignored_columns: list[str]
    consent: ConsentRecord
    new_people: list[NewPerson] = field(default_factory=list)
    updated: list[tuple[dict[str, Any], Subscriber]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    duplicates: list[RowNote] = field(default_factory=list)
    invalid: list[RowNote] = field(default_factory=list)
    suppressed: list[int] = field(default_factory=list)
    unsubscribed: list[int] = field(default_factory=list)
    opted_out: list[int] = field(default_factory=list)
    smtputf8: list[int] = field(default_factory=list)
    first_rows: list[CsvRow] = field(default_factory=list)  # the first few rows as read (for a preview)

    @property
    def joining(self) -> int:
        """Known people the import adds to this list (the other updated people only get new details)."""
        return sum(1 for before, _after in self.updated if self.list_slug not in before.get("lists", {}))

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new_people), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "duplicates": len(self.duplicates), "invalid": len(self.invalid),
                "suppressed": len(self.suppressed), "unsubscribed": len(self.unsubscribed),
                "opted_out": len(self.opted_out), "smtputf8": len(self.smtputf8)}

    def type_counts(self) -> dict[OrganisationType, TypeTally]:
        """New and updated people by organisation type (the file's column, else the guess from the address)."""
        seen = [(p.email, p.organisation_type, p.type_guessed) for p in self.new_people]
        seen += [(p.email, *p.type_and_guessed) for _before, p in self.updated]
        tallies = {}
        for kind in OrganisationType:
            of_kind = [(email, guessed) for email, found, guessed in seen if found is kind]
            guessed = [email for email, was_guessed in of_kind if was_guessed]
            unknown = sum(1 for email in guessed if not guess_type(email).known_domain)
            tallies[kind] = TypeTally(len(of_kind), len(guessed), unknown)
        return tallies

    @property
    def new(self) -> list[Subscriber]:
        """The subscribers the import would create (built on demand)."""
        return [self.subscriber_for(person) for person in self.new_people]

    def subscriber_for(self, person: NewPerson) -> Subscriber:
        """The record for a new person; every field was validated when the row was read."""
        status = MembershipStatus.UNSUBSCRIBED if person.opted_out else MembershipStatus.SUBSCRIBED
        consent = self.withdrawn if person.opted_out else self.consent
        return Subscriber.model_construct(
            email=person.email, name=person.name, organisation=person.organisation, role=person.role,
            area=person.area, topics=list(person.topics), organisation_type=person.organisation_type,
            organisation_type_guessed=person.type_guessed,
            lists={self.list_slug: Membership(status=status, changed_at=consent.at)}, consent=[consent],
            created_at=consent.at, updated_at=consent.at,
        )

    @property
    def withdrawn(self) -> ConsentRecord:
        return self.consent.model_copy(update={"action": ConsentAction.WITHDRAWN})


def fingerprint(raw: dict[str, Any]) -> str:
    """A short hash of a stored record, to tell later whether it has changed since."""
    return hashlib.blake2b(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS), digest_size=8).hexdigest()


def preview_import(
    ctx: AppContext, path: Path, list_name: str | None = None, basis: LawfulBasis = LawfulBasis.CONSENT
) -> ImportPreview:
    """Read the file and classify every row against the store; changes nothing."""
    table, target = read_csv(path), resolve_list_readonly(ctx, list_name)
    sha256 = table.sha256
    import_id = new_import_id(ctx, sha256)
    consent = ConsentRecord(at=ctx.clock.now(), action=ConsentAction.GRANTED, list_slug=target, basis=basis,
                            source="import", reference=f"{path.name} (sha256 {sha256[:12]}, {import_id})",
                            operator=ctx.operator)
    preview = ImportPreview(import_id, path.name, sha256, target, basis, table.encoding, table.delimiter_name,
                            table.ignored, consent)
    is_suppressed = suppression_check(ctx)
    known = {normalise_email(row["email"]): row for row in ctx.store.subscribers.rows()}
    first_row: dict[str, int] = {}
    for row in table.rows():
        if len(preview.first_rows) < FIRST_ROWS:
            preview.first_rows.append(row)
        fields = row_fields(row, target)
        if isinstance(fields, str):
            preview.invalid.append(RowNote(row.number, fields))
            continue
        key = normalise_email(fields.email)
        if key in first_row:
            preview.duplicates.append(RowNote(row.number, f"same address as row {first_row[key]}"))
            continue
        first_row[key] = row.number
        if is_suppressed(fields.email):
            preview.suppressed.append(row.number)
            continue
        if needs_smtputf8(fields.email):
            preview.smtputf8.append(row.number)
        _classify(preview, row.number, fields, known.get(key))
    return preview


def import_records(ctx: AppContext) -> Collection[ImportRecord]:
    return ctx.store.collection(TABLE, ImportRecord, lambda record: record.id)


def new_import_id(ctx: AppContext, sha256: str) -> str:
    """`import-YYYYMMDD-HHMMSS-<file hash>`, unique among the recorded imports."""
    base = f"import-{ctx.clock.now():%Y%m%d-%H%M%S}-{sha256[:8]}"
    taken, candidate, n = import_records(ctx), base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def resolve_list_readonly(ctx: AppContext, list_name: str | None) -> str:
    """The target list's slug; the default list is only named here (created at commit)."""
    if list_name is None and "e-bulletin" not in ctx.store.lists:
        return "e-bulletin"
    return resolve_list(ctx, list_name).slug


def _classify(preview: ImportPreview, number: int, fields: RowFields, known: dict[str, Any] | None) -> None:
    if known is None:
        if fields.opted_out:
            preview.opted_out.append(number)
        kind = fields.organisation_type or guess_type(fields.email).type
        preview.new_people.append(NewPerson(fields.email, fields.name, fields.organisation, fields.role,
                                            fields.area, tuple(fields.topics), fields.opted_out, kind,
                                            fields.organisation_type is None))
        return
    current = known.get("lists", {}).get(preview.list_slug)
    if _withdrew(known, current):
        preview.unsubscribed.append(number)  # never re-subscribed, never overwritten
        return
    if fields.opted_out:
        preview.opted_out.append(number)
    elif current is not None and _same_details(known, fields):
        preview.unchanged.append(number)
        return
    _update(preview, number, fields, orjson.loads(orjson.dumps(known)), current is None)


def _withdrew(known: dict[str, Any], current: dict[str, Any] | None) -> bool:
    """Unsubscribed from this list, or (not on it and) unsubscribed from every list they were on."""
    left = MembershipStatus.UNSUBSCRIBED.value
    if current is not None:
        return bool(current["status"] == left)
    statuses = [membership["status"] for membership in known.get("lists", {}).values()]
    return bool(statuses) and all(status == left for status in statuses)


def _same_details(known: dict[str, Any], fields: RowFields) -> bool:
    """True if the row would change nothing (empty cells never count as a change)."""
    for name in ("name", "organisation", "role", "area"):
        value = getattr(fields, name)
        if value and value != known.get(name):
            return False
    if fields.organisation_type is not None and (fields.organisation_type.value != known.get("organisation_type")
                                                 or known.get("organisation_type_guessed")):
        return False
    return all(topic in known.get("topics", []) for topic in fields.topics)


def _update(preview: ImportPreview, number: int, fields: RowFields, before: dict[str, Any], joins: bool) -> None:
    existing = Subscriber.model_validate(before)
    for name in ("name", "organisation", "role", "area"):
        if getattr(fields, name):
            setattr(existing, name, getattr(fields, name))
    existing.topics = existing.topics + [t for t in fields.topics if t not in existing.topics]
    if fields.organisation_type is not None:  # a known person's type changes only from the file's column
        existing.organisation_type, existing.organisation_type_guessed = fields.organisation_type, False
    if joins or fields.opted_out:
        current = existing.lists.get(preview.list_slug)
        consent = preview.withdrawn if fields.opted_out else preview.consent
        status = MembershipStatus.UNSUBSCRIBED if fields.opted_out else MembershipStatus.SUBSCRIBED
        existing.lists = {**existing.lists, preview.list_slug: Membership(
            status=status, changed_at=consent.at, token_version=current.token_version if current else 0)}
        existing.consent = [*existing.consent, consent]
    if existing.model_dump(mode="json") == before:
        preview.unchanged.append(number)
        return
    existing.updated_at = preview.consent.at
    preview.updated.append((before, existing))
