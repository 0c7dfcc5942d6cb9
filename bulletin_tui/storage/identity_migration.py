"""Schema 1 -> 2: every stored matching key in the canonical form of an address (docs/identity.md).

Schema 1 keyed people by `NFC(address).lower()`; schema 2 by `canonical_email()` (NFKC, domain as A-labels). This
re-keys subscribers, import records, registrations and their queued session mail. Two records that turn out to be
one person are merged, and a withdrawal always survives the merge (nobody is subscribed again by a migration).
Suppression digests cannot be recomputed (the address is not held): lookups match their legacy forms instead.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from ..domain.identity import canonical_email

Tables = dict[str, Any]
UNSUBSCRIBED = "unsubscribed"
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def to_canonical_keys(data: Tables) -> Tables:
    """The schema-2 database made from a schema-1 one (the input is changed in place and returned)."""
    if "subscribers" in data:
        data["subscribers"] = _rekey_subscribers(data["subscribers"])
    for record in data.get("imports", {}).values():
        for field in ("before", "after"):
            if isinstance(record.get(field), dict):
                record[field] = _rekey_dict(record[field])
    renamed = _rekey_registrations(data) if "registrations" in data else {}
    if renamed and "session_mail" in data:
        data["session_mail"] = _repoint_mail(data["session_mail"], renamed)
    return data


def _rekey_dict(rows: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in rows.items():
        out.setdefault(canonical_email(key), value)
    return out


def _rekey_subscribers(rows: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, row in rows.items():
        new_key = canonical_email(row.get("email") or key)
        out[new_key] = _merge_people(out[new_key], row) if new_key in out else row
    return out


def _when(value: Any) -> datetime:
    """A stored timestamp as an aware datetime; anything unreadable counts as the earliest moment."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return _EARLIEST
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _merge_people(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One person stored twice: the earlier record's spelling and details, both histories, and every list's
    status where a withdrawal wins over a subscription."""
    older, newer = (first, second) if _when(first.get("created_at")) <= _when(second.get("created_at")) else (
        second, first)
    merged = dict(older)
    for field in ("name", "organisation", "role", "area"):
        merged[field] = older.get(field) or newer.get(field, "")
    merged["topics"] = list(dict.fromkeys([*older.get("topics", []), *newer.get("topics", [])]))
    history = {_fingerprint(c): c for c in [*older.get("consent", []), *newer.get("consent", [])]}
    merged["consent"] = sorted(history.values(), key=lambda c: _when(c.get("at")))
    lists = dict(older.get("lists", {}))
    for slug, membership in newer.get("lists", {}).items():
        lists[slug] = _merge_membership(lists[slug], membership) if slug in lists else membership
    merged["lists"] = lists
    merged["updated_at"] = max(older.get("updated_at"), newer.get("updated_at"), key=_when)
    return merged


def _fingerprint(record: dict[str, Any]) -> bytes:
    """Identical consent entries (the same event stored under both spellings) are kept once."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def _merge_membership(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    withdrawn = [m for m in (one, other) if m.get("status") == UNSUBSCRIBED]
    candidates: list[dict[str, Any]] = withdrawn or [one, other]
    latest = max(candidates, key=lambda m: _when(m.get("changed_at")))
    chosen: dict[str, Any] = dict(latest)
    chosen["token_version"] = max(int(one.get("token_version", 0)), int(other.get("token_version", 0)))
    return chosen


def registration_id(session_slug: str, email: str) -> str:
    """The schema-2 id of a registration (as `services.sessions.registrations.registration_id`)."""
    digest = hashlib.sha256(f"{session_slug}\n{canonical_email(email)}".encode()).hexdigest()
    return f"r-{digest[:20]}"


def _rekey_registrations(data: Tables) -> dict[str, str]:
    """Re-key registrations; returns old id -> new id for those whose id changed. Of two registrations of one
    person for one session, the earlier one (by arrival) is kept."""
    rows: dict[str, Any] = data["registrations"]
    out: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for old_id, row in sorted(rows.items(), key=lambda item: int(item[1].get("position", 0))):
        new_id = registration_id(str(row.get("session_slug", "")), str(row.get("email", "")))
        if new_id != old_id:
            renamed[old_id] = new_id
        if new_id not in out:
            out[new_id] = {**row, "id": new_id}
    data["registrations"] = out
    return renamed


def _repoint_mail(rows: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mail_id, row in rows.items():
        old = row.get("registration_id", "")
        new = renamed.get(old)
        if new is None:
            out.setdefault(mail_id, row)
            continue
        new_mail_id = new + mail_id[len(old):] if mail_id.startswith(old) else mail_id
        out.setdefault(new_mail_id, {**row, "id": new_mail_id, "registration_id": new})
    return out
