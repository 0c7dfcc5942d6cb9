"""Applying the inbound journal: any writer (serve's applier, a command, the app, the worker) applies every entry
not yet applied, in one write, recording each entry's id with its effect (so a crash between the two is impossible
and nothing runs twice; two appliers at once apply each entry once: the second re-reads and skips it).

Each entry applies whole or not at all (a savepoint: a refused entry leaves nothing behind) and its record says
what was done, without the person's address. Lines that are not journal entries are set aside with one warning.
Applied entries, and requests never confirmed, are dropped from the journal after `[retention] web_journal_days`
(7 by default; the database holds the effect and the consent record), and their records after that too."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ...domain.base import Model
from ...domain.errors import DomainError
from ...domain.sessions import AttendanceMode
from ...domain.text import normalise_email
from ...sending.scrub import without_address
from ...storage.collection import Collection
from ...storage.journal import QUARANTINE_NAME, Read, entry_time, journal_path, read_journal, rewrite
from ..context import AppContext
from ..mailings import confirmations
from ..mailings.confirmations import REQUESTED
from ..sessions.registrations import register
from ..subscribers.people import add_subscriber, unsubscribe, update_details
from ..subscribers.tokens import reference_index, verify_unsubscribe_token

CONSENT_STATEMENT = ("I would like to receive the Kent Community Safety Team's e-bulletin by email. The team "
                     "processes my name, work email and organisation to send it, on the basis of my consent, "
                     "which I can withdraw at any time through the link in every message.")
log = logging.getLogger("bulletin_tui.journal")


class AppliedEntry(Model):
    """One journal entry applied (or refused with a reason), recorded in the same write as its effect."""

    id: str
    kind: str
    at: datetime
    outcome: str = ""


def applied_entries(ctx: AppContext) -> Collection[AppliedEntry]:
    return ctx.store.collection("journal_applied", AppliedEntry, lambda e: e.id)


def _unsubscribe(ctx: AppContext, entry: dict[str, Any], index: dict[str, str]) -> str:
    left = unsubscribe(ctx, entry["token"], source="one-click unsubscribe (web)", reference=f"journal {entry['id']}",
                       token_index=index)
    return f"left {', '.join(left.lists) or 'nothing (already)'}"


def _preferences(ctx: AppContext, entry: dict[str, Any], index: dict[str, str]) -> str:
    done = [_unsubscribe(ctx, {"token": token, "id": entry["id"]}, index) for token in entry["leave_tokens"]]
    if isinstance(entry.get("topics"), list):
        key, _ = verify_unsubscribe_token(ctx, entry["token"], index)
        update_details(ctx, key, topics=[str(topic) for topic in entry["topics"]])
        done.append("topics updated")
    return "; ".join(done) or "no change"


def _signup(ctx: AppContext, entry: dict[str, Any], _index: dict[str, str]) -> str:
    """A confirmed double opt-in: the person asked, so an earlier unsubscribe is no bar (a suppression is); lists
    they are already on are left as they are. The consent record holds the statement they agreed to, whole."""
    request = entry["request"]
    reference = (f"web sign-up form, requested {request.get('at', '?')}, confirmed {entry['at']}, statement: "
                 f"{request.get('statement', 'v1')}")
    person = ctx.store.subscribers.get(normalise_email(str(request["email"])))
    wanted = [str(slug) for slug in request["lists"]]
    already = [slug for slug in wanted if person is not None and person.is_subscribed(slug)]
    for list_slug in wanted:
        if list_slug not in already:
            add_subscriber(ctx, request["email"], name=request.get("name", ""),
                           organisation=request.get("organisation", ""), list_name=list_slug,
                           source="web sign-up (double opt-in)", reference=reference,
                           topics=request.get("topics") or None, resubscribe=True)
    added = [slug for slug in wanted if slug not in already]
    return "; ".join(part for part in (added and f"subscribed to {', '.join(added)}",
                                       already and f"already on {', '.join(already)}") if part)


def _registration(ctx: AppContext, entry: dict[str, Any], _index: dict[str, str]) -> str:
    request = entry["request"]
    outcome = register(ctx, request["session"], request["email"], name=request.get("name", ""),
                       organisation=request.get("organisation", ""), occurrence=request.get("occurrence") or None,
                       mode=AttendanceMode(request["mode"]) if request.get("mode") else None,
                       source=f"web registration (double opt-in), confirmed {entry['at']}"[:200])
    if request.get("access_needs") and not outcome.already:
        ctx.store.registrations.put(outcome.registration.model_copy(update={"access_needs": request["access_needs"]}))
    return "already registered" if outcome.already else outcome.registration.status.value


APPLIERS: dict[str, Callable[[AppContext, dict[str, Any], dict[str, str]], str]] = {
    "unsubscribe": _unsubscribe, "preferences": _preferences, "signup_confirmed": _signup,
    "registration_confirmed": _registration,
}


def pending_entries(ctx: AppContext, read: Read | None = None) -> list[dict[str, Any]]:
    """Entries not yet applied, in journal order: requests to confirm (their confirmation e-mail is queued) and
    what they confirm."""
    done = applied_entries(ctx)
    entries = (read or read_journal(journal_path(ctx.data_dir))).entries
    return [e for e in entries if (e["kind"] in APPLIERS or e["kind"] in REQUESTED) and e["id"] not in done]


def apply_pending(ctx: AppContext) -> Counter[str]:
    """Apply every pending entry in one write; an entry that cannot apply is recorded with its reason and leaves
    nothing behind. Then set aside malformed lines and drop what is old enough (`compact`)."""
    counts: Counter[str] = Counter()
    if ctx.store.read_only:
        return counts
    read = read_journal(journal_path(ctx.data_dir))
    pending = pending_entries(ctx, read)
    if pending:
        index = reference_index(ctx)
        table = applied_entries(ctx)
        requested = [e for e in pending if e["kind"] in REQUESTED]
        confirmations.queue(ctx, [e for e in requested if isinstance(e.get("confirm"), dict)])
        with ctx.store.transaction():
            for entry in pending:
                if entry["id"] in table:  # the same id twice in the journal (a retried request): once only
                    continue
                if entry["kind"] in REQUESTED:
                    outcome = ("confirmation e-mail queued" if isinstance(entry.get("confirm"), dict) else
                               "confirmation e-mailed by the web face (an older version)")
                else:
                    outcome = _apply_one(ctx, entry, index, counts)
                table.put(AppliedEntry(id=entry["id"], kind=entry["kind"], at=ctx.clock.now(), outcome=outcome))
                counts[entry["kind"]] += 1
    compact(ctx, read)
    return counts


def _apply_one(ctx: AppContext, entry: dict[str, Any], index: dict[str, str], counts: Counter[str]) -> str:
    try:
        with ctx.store.transaction():  # a savepoint: refused means nothing of it stays
            outcome = APPLIERS[entry["kind"]](ctx, entry, index)
    except (DomainError, KeyError, ValueError, TypeError, AttributeError) as exc:
        outcome = f"refused: {exc}"
        counts["refused"] += 1
    email = entry.get("request", {}).get("email") if isinstance(entry.get("request"), dict) else None
    return (without_address(outcome, str(email)) if email else outcome)[:300]


def expired(ctx: AppContext, read: Read) -> list[dict[str, Any]]:
    """Applied entries and unconfirmed requests older than `[retention] web_journal_days`: what `compact` drops."""
    is_expired = _expiry(ctx)
    return [e for e in read.entries if is_expired(e)]


def _expiry(ctx: AppContext) -> Callable[[dict[str, Any]], bool]:
    cutoff, table = _cutoff(ctx), applied_entries(ctx)

    def is_expired(entry: dict[str, Any]) -> bool:
        unapplied = (entry["kind"] in APPLIERS or entry["kind"] in REQUESTED) and entry["id"] not in table
        return entry_time(entry["at"]) < cutoff and not unapplied

    return is_expired


def _cutoff(ctx: AppContext) -> datetime:
    return ctx.clock.now() - timedelta(days=ctx.settings.retention.web_journal_days)


def compact(ctx: AppContext, read: Read) -> tuple[int, int]:
    """Drop what has `expired`, set malformed lines aside (with one warning), and forget the records of entries no
    longer in the journal once they are that old too."""
    path = journal_path(ctx.data_dir)
    is_expired = _expiry(ctx)
    if not read.bad and not any(is_expired(e) for e in read.entries):
        return 0, 0
    dropped, set_aside = rewrite(ctx.data_dir, lambda entry: not is_expired(entry))
    if set_aside:
        log.warning("%s: %d line(s) were not journal entries and were set aside in %s (first: %s)", path,
                    set_aside, QUARANTINE_NAME, read.bad[0].problem if read.bad else "?")
    present = {e["id"] for e in read_journal(path).entries}
    table, cutoff = applied_entries(ctx), _cutoff(ctx)
    stale = [row["id"] for row in table.rows() if row["id"] not in present and entry_time(row["at"]) < cutoff]
    table.delete_many(stale)
    return dropped, set_aside
