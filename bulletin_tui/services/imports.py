"""CSV import: a preview that changes nothing, a commit that is one atomic write, and an exact undo."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..domain.subscribers import (
    ConsentAction,
    ConsentRecord,
    ImportRecord,
    LawfulBasis,
    Membership,
    MembershipStatus,
    Subscriber,
)
from ..domain.text import needs_smtputf8, normalise_email
from ..storage.collection import Collection
from .context import AppContext
from .csvread import read_csv
from .imports_rows import RowFields, row_fields
from .lists import resolve_list
from .suppression import digester, suppressed_digests

TABLE = "imports"


@dataclass(frozen=True)
class RowNote:
    """A row left out of the import, and why."""

    row: int
    reason: str


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
    new: list[Subscriber] = field(default_factory=list)
    updated: list[tuple[dict[str, Any], Subscriber]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    duplicates: list[RowNote] = field(default_factory=list)
    invalid: list[RowNote] = field(default_factory=list)
    suppressed: list[int] = field(default_factory=list)
    unsubscribed: list[int] = field(default_factory=list)
    opted_out: list[int] = field(default_factory=list)
    smtputf8: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "duplicates": len(self.duplicates), "invalid": len(self.invalid),
                "suppressed": len(self.suppressed), "unsubscribed": len(self.unsubscribed),
                "opted_out": len(self.opted_out),
                "smtputf8": len(self.smtputf8)}


def fingerprint(raw: dict[str, Any]) -> str:
    """A short hash of a stored record, to tell later whether it has changed since."""
    return hashlib.blake2b(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS), digest_size=8).hexdigest()


def preview_import(
    ctx: AppContext, path: Path, list_name: str | None = None, basis: LawfulBasis = LawfulBasis.CONSENT
) -> ImportPreview:
    """Read the file and classify every row against the store; changes nothing."""
    table, target = read_csv(path), resolve_list_readonly(ctx, list_name)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    preview = ImportPreview(new_import_id(ctx, sha256), path.name, sha256, target, basis,
                            table.encoding, table.delimiter_name, table.ignored)
    blocked, digest = suppressed_digests(ctx), digester(ctx)
    first_row: dict[str, int] = {}
    consent = ConsentRecord(at=ctx.clock.now(), action=ConsentAction.GRANTED, list_slug=target, basis=basis,
                            source="import", reference=f"{path.name} (sha256 {sha256[:12]}, {preview.import_id})",
                            operator=ctx.operator)
    for row in table.rows():
        fields = row_fields(row, target)
        if isinstance(fields, str):
            preview.invalid.append(RowNote(row.number, fields))
            continue
        key = normalise_email(fields.email)
        if key in first_row:
            preview.duplicates.append(RowNote(row.number, f"same address as row {first_row[key]}"))
            continue
        first_row[key] = row.number
        if blocked and digest(key) in blocked:
            preview.suppressed.append(row.number)
            continue
        if needs_smtputf8(fields.email):
            preview.smtputf8.append(row.number)
        _classify(ctx, preview, row.number, key, fields, consent)
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


def _classify(
    ctx: AppContext, preview: ImportPreview, number: int, key: str, fields: RowFields, consent: ConsentRecord
) -> None:
    existing = ctx.store.subscribers.get(key)
    status = MembershipStatus.UNSUBSCRIBED if fields.opted_out else MembershipStatus.SUBSCRIBED
    membership = Membership(status=status, changed_at=consent.at)
    if fields.opted_out:
        consent = consent.model_copy(update={"action": ConsentAction.WITHDRAWN})
    if existing is None:
        if fields.opted_out:
            preview.opted_out.append(number)
        preview.new.append(Subscriber.model_construct(
            email=fields.email, name=fields.name, organisation=fields.organisation, role=fields.role,
            area=fields.area, topics=fields.topics, lists={preview.list_slug: membership}, consent=[consent],
            created_at=consent.at, updated_at=consent.at,
        ))
        return
    current = existing.lists.get(preview.list_slug)
    if current is not None and current.status is MembershipStatus.UNSUBSCRIBED:
        preview.unsubscribed.append(number)  # never re-subscribed, never overwritten
        return
    if fields.opted_out:
        preview.opted_out.append(number)
    before = existing.model_dump(mode="json")
    for name in ("name", "organisation", "role", "area"):
        if getattr(fields, name) and getattr(fields, name) != getattr(existing, name):
            setattr(existing, name, getattr(fields, name))
    existing.topics = existing.topics + [t for t in fields.topics if t not in existing.topics]
    if current is None or fields.opted_out:
        version = current.token_version if current else 0
        existing.lists = {**existing.lists, preview.list_slug: membership.model_copy(
            update={"token_version": version})}
        existing.consent = [*existing.consent, consent]
    if existing.model_dump(mode="json") == before:
        preview.unchanged.append(number)
        return
    existing.updated_at = consent.at
    preview.updated.append((before, existing))
