"""Committing a previewed import as one write, recording it as consent evidence, and undoing it exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...domain.errors import DomainError, NotFoundError
from ...domain.subscribers import ImportRecord, LawfulBasis, Subscriber
from ...storage.collection import Collection
from ..context import AppContext, one_write
from ..subscribers.imports import ImportPreview, fingerprint, import_records, preview_import
from ..subscribers.lists import resolve_list
from ..subscribers.undo_rules import changes_since, with_withdrawals_kept, withdrawals

CHUNK = 5_000


@dataclass
class UndoResult:
    """What an undo did: records removed or restored, and those left because they changed since."""

    import_id: str
    removed: int = 0
    restored: int = 0
    kept_changed: list[str] = field(default_factory=list)
    what_changed: dict[str, str] = field(default_factory=dict)
    """For each key in `kept_changed`: its address and what changed after the import."""
    kept_withdrawals: list[str] = field(default_factory=list)
    """Keys restored or kept with the consent withdrawals the import recorded (undo never re-subscribes)."""


class ChangedSincePreviewError(DomainError):
    """Someone changed a person the preview updates (another app, a command, the web face) before the commit."""


@one_write
def commit_import(ctx: AppContext, preview: ImportPreview) -> ImportRecord:
    """Write the previewed changes and the import record in one atomic save."""
    subscribers = ctx.store.subscribers
    for before, person in preview.updated:
        current = subscribers.get(person.key)
        if current is None or fingerprint(current.model_dump(mode="json")) != fingerprint(before):
            raise ChangedSincePreviewError(f"{preview.file_name}: subscribers changed since the preview; preview it "
                                           "again")
    after: dict[str, str] = {}
    with ctx.store.transaction():
        resolve_list(ctx, preview.list_slug if preview.list_slug in ctx.store.lists else None)
        for start in range(0, len(preview.new_people), CHUNK):  # chunks keep peak memory low; still one save
            _write(subscribers, [preview.subscriber_for(p) for p in preview.new_people[start:start + CHUNK]], after)
        _write(subscribers, [person for _, person in preview.updated], after)
        record = ImportRecord(
            id=preview.import_id, file_name=preview.file_name, file_sha256=preview.file_sha256,
            list_slug=preview.list_slug, basis=preview.basis, at=ctx.clock.now(), operator=ctx.operator,
            counts=preview.counts(), before={person.key: before for before, person in preview.updated},
            after=after,
        )
        import_records(ctx).put(record)
    return record


def _write(subscribers: Collection[Subscriber], people: list[Subscriber], after: dict[str, str]) -> None:
    subscribers.put_many(people)
    after.update((p.key, fingerprint(p.model_dump(mode="json"))) for p in people)


def import_file(
    ctx: AppContext, path: Path, list_name: str | None = None, *, basis: LawfulBasis = LawfulBasis.CONSENT,
    dry_run: bool = False, attempts: int = 3,
) -> tuple[ImportPreview, ImportRecord | None]:
    """Preview, and unless `dry_run`, commit; previewed again (up to `attempts` times) when someone changed one of
    the people it updates meanwhile, so their change is never written over."""
    attempt = 1
    while True:
        preview = preview_import(ctx, path, list_name, basis)
        if dry_run:
            return preview, None
        try:
            return preview, commit_import(ctx, preview)
        except ChangedSincePreviewError:
            if attempt >= attempts:
                raise
            attempt += 1


def list_imports(ctx: AppContext) -> list[ImportRecord]:
    return sorted(import_records(ctx).all(), key=lambda record: (record.at, record.id))


def get_import(ctx: AppContext, import_id: str) -> ImportRecord:
    """One recorded import by its id; NotFoundError if there is none."""
    found = import_records(ctx).get(import_id)
    if found is None:
        raise NotFoundError(f"no import called {import_id!r}")
    return found


@one_write
def undo_import(ctx: AppContext, import_id: str) -> UndoResult:
    """Restore every record the import touched to its previous state, unless it has changed since.

    Consent withdrawn in the import is never taken back: the withdrawal stays and the membership unsubscribed."""
    records = import_records(ctx)
    record = records.get(import_id)
    if record is None:
        raise NotFoundError(f"no import called {import_id!r}")
    if record.undone_at is not None:
        raise DomainError(f"{import_id} was already undone on {record.undone_at:%d %B %Y at %H:%M} UTC")
    result, subscribers = UndoResult(import_id), ctx.store.subscribers
    restore: list[Subscriber] = []
    remove: list[str] = []
    for key, expected in record.after.items():
        current = subscribers.get(key)
        if current is None:
            continue
        if fingerprint(current.model_dump(mode="json")) != expected:
            result.kept_changed.append(key)
            result.what_changed[key] = changes_since(current, record)
        elif key in record.before:
            restored, kept = with_withdrawals_kept(Subscriber.model_validate(record.before[key]), current)
            restore.append(restored)
            result.kept_withdrawals += [key] if kept else []
        elif withdrawals(current):  # created unsubscribed: it stays, as evidence that they said no
            result.kept_withdrawals.append(key)
        else:
            remove.append(key)
    with ctx.store.transaction():
        subscribers.put_many(restore)
        subscribers.delete_many(remove)
        record.undone_at, record.undone_by = ctx.clock.now(), ctx.operator
        record.undo_left, record.undo_kept_withdrawals = result.what_changed, result.kept_withdrawals
        records.put(record)
    result.removed, result.restored = len(remove), len(restore)
    return result
