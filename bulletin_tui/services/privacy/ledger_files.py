"""Send ledgers as a privacy place: which records hold a person, rewriting a ledger atomically (never while its
campaign runs: its run lock is taken first), and making recipients anonymous for the retention schedule."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from ...domain.identity import canonical_email
from ...locations import ledger_dir
from ...sending.ledger import ERASED_PREFIX, read_records
from ...sending.runlock import CampaignBusyError, RunLock
from ...sending.scrub import without_address
from ...storage.atomic import atomic_write_chunks, fsync_dir
from ..context import AppContext

RETAINED = ERASED_PREFIX + "retention-"
"""Key prefix of a recipient made anonymous by the retention schedule (an erased key to the campaign runner: never
sent to again, never suppressed)."""


def ledger_paths(ctx: AppContext) -> list[Path]:
    """Every ledger: bulletin campaigns, session mail, web confirmations."""
    folder = ledger_dir(ctx.data_dir, create=False)
    return sorted(folder.rglob("*.jsonl")) if folder.is_dir() else []


def holds_person(record: dict[str, Any]) -> bool:
    """A recipient record with an address or name, or an event naming a recipient by address."""
    key = record.get("key")
    if not isinstance(key, str):
        named = record.get("recipient")
        return isinstance(named, str) and "@" in named and not named.startswith(ERASED_PREFIX)
    return bool(record.get("email") or record.get("name")) or ("@" in key and not key.startswith(ERASED_PREFIX))


def campaign_issue(path: Path) -> str:
    """The bulletin a campaign ledger sent (from its first record), or '' (session mail, confirmations)."""
    try:
        with path.open("rb") as handle:
            first = orjson.loads(handle.readline() or b"{}")
    except (OSError, orjson.JSONDecodeError):
        return ""
    issue = first.get("issue") if isinstance(first, dict) and first.get("event") == "campaign" else None
    return issue if isinstance(issue, str) else ""


def stamp_of(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(record["at"]))
    except (KeyError, ValueError):
        return None


@dataclass
class DueRecipients:
    """One ledger's recipients whose last record is older than the cutoff (keyed as the ledger keys them)."""

    path: Path
    cutoff: datetime
    last_seen: dict[str, datetime] = field(default_factory=dict)

    @property
    def oldest(self) -> datetime | None:
        return min(self.last_seen.values(), default=None)


def due_recipients(path: Path, cutoff: datetime) -> DueRecipients:
    """Recipients holding personal data whose latest record (any state) was written before `cutoff`."""
    latest: dict[str, datetime] = {}
    personal: set[str] = set()
    for record in read_records(path):
        key, at = record.get("key"), stamp_of(record)
        if isinstance(key, str) and at is not None:
            latest[key] = max(latest.get(key, at), at)
            if holds_person(record):
                personal.add(key)
    return DueRecipients(path, cutoff, {key: at for key, at in latest.items() if key in personal and at < cutoff})


def rewrite(path: Path, records: list[dict[str, Any]]) -> None:
    """Replace the ledger with these records (0600; a crash leaves the old file or the new one)."""
    atomic_write_chunks(path, (orjson.dumps(r) + b"\n" for r in records))
    fsync_dir(path.parent)


@contextlib.contextmanager
def idle(path: Path) -> Iterator[bool]:
    """Hold the campaign's run lock while the ledger is rewritten: True, or False when its campaign is running."""
    lock = RunLock(path, path.stem)
    try:
        lock.acquire()
    except CampaignBusyError:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def anonymise(due: DueRecipients) -> int | None:
    """Re-key the due recipients to unlinkable `erased:retention-…` keys, dropping address and name (and the address
    from any reply text), also in the events naming them; recipients changed, or None when its campaign runs."""
    if not due.last_seen:
        return 0
    with idle(due.path) as free:
        if not free:
            return None
        records = list(read_records(due.path))
        still_due = due_recipients(due.path, due.cutoff).last_seen  # as on disk now, under the lock
        mapping = {key: RETAINED + secrets.token_hex(8) for key in due.last_seen if key in still_due}
        for record in records:
            _anonymise(record, mapping)
        rewrite(due.path, records)
        return len(mapping)


def _anonymise(record: dict[str, Any], mapping: dict[str, str]) -> None:
    key = record.get("key")
    if isinstance(key, str) and key in mapping:
        email = str(record.pop("email", "") or (key if "@" in key else ""))
        record.pop("name", None)
        record["key"] = mapping[key]
        if email and isinstance(record.get("reply"), str):
            record["reply"] = without_address(record["reply"], email)
    named = record.get("recipient")
    if isinstance(named, str) and named in mapping:
        record["recipient"] = mapping[named]


def redact_events(ctx: AppContext, person_key: str, replacement: str) -> int:
    """Erasure: events that name the person as their recipient (a delivery report noted later) name `replacement`
    instead; events changed. A ledger whose campaign is running is left for its run (its records are redacted)."""
    changed = 0
    for path in ledger_paths(ctx):
        if not _naming(list(read_records(path)), person_key):
            continue
        with idle(path) as free:
            records = list(read_records(path)) if free else []
            hits = _naming(records, person_key)
            for record in hits:
                record["recipient"] = replacement
            if hits:
                rewrite(path, records)
            changed += len(hits)
    return changed


def _naming(records: list[dict[str, Any]], person_key: str) -> list[dict[str, Any]]:
    return [r for r in records if isinstance(r.get("recipient"), str) and "@" in r["recipient"]
            and canonical_email(r["recipient"]) == person_key]
