"""Applying the inbound journal: whoever holds the writer lock applies every entry not yet applied, in one write,
recording each entry's id with its effect (so a crash between the two is impossible and nothing runs twice)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ...domain.base import Model
from ...domain.errors import DomainError
from ...domain.sessions import AttendanceMode
from ...storage.collection import Collection
from ...storage.journal import all_entries
from ..context import AppContext
from ..sessions.registrations import register
from ..subscribers.people import add_subscriber, unsubscribe, update_details
from ..subscribers.tokens import reference_index, verify_unsubscribe_token

CONSENT_STATEMENT = ("I would like to receive the Kent Community Safety Team's e-bulletin by email. The team "
                     "processes my name, work email and organisation to send it, on the basis of my consent, "
                     "which I can withdraw at any time through the link in every message.")


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
    done = [_unsubscribe(ctx, {"token": token, "id": entry["id"]}, index) for token in entry.get("leave_tokens", [])]
    if "topics" in entry and entry.get("token"):
        key, _ = verify_unsubscribe_token(ctx, entry["token"], index)
        update_details(ctx, key, topics=list(entry["topics"]))
        done.append("topics updated")
    return "; ".join(done) or "no change"


def _signup(ctx: AppContext, entry: dict[str, Any], _index: dict[str, str]) -> str:
    request = entry["request"]
    reference = (f"web sign-up form, requested {request['at']}, confirmed {entry['at']}, statement: "
                 f"{request.get('statement', 'v1')}")
    for list_slug in request["lists"]:
        add_subscriber(ctx, request["email"], name=request.get("name", ""),
                       organisation=request.get("organisation", ""), list_name=list_slug,
                       source="web sign-up (double opt-in)", reference=reference[:200],
                       topics=request.get("topics") or None)
    return f"subscribed to {', '.join(request['lists'])}"


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


def pending_entries(ctx: AppContext) -> list[dict[str, Any]]:
    """Entries not yet applied, in journal order (requests awaiting confirmation are evidence, never applied)."""
    done = applied_entries(ctx)
    return [e for e in all_entries(ctx.data_dir) if e.get("kind") in APPLIERS and str(e.get("id")) not in done]


def apply_pending(ctx: AppContext) -> Counter[str]:
    """Apply every pending entry in one write; an entry that cannot apply is recorded with its reason."""
    pending = pending_entries(ctx)
    counts: Counter[str] = Counter()
    if not pending or ctx.store.read_only:
        return counts
    index = reference_index(ctx)
    table = applied_entries(ctx)
    with ctx.store.transaction():
        for entry in pending:
            if entry["id"] in table:  # the same id twice in the journal (a retried request): once only
                continue
            try:
                with ctx.store.transaction():
                    outcome = APPLIERS[entry["kind"]](ctx, entry, index)
            except (DomainError, KeyError, ValueError, TypeError) as exc:
                outcome = f"refused: {exc}"[:200]
                counts["refused"] += 1
            table.put(AppliedEntry(id=entry["id"], kind=entry["kind"], at=ctx.clock.now(), outcome=outcome))
            counts[entry["kind"]] += 1
    return counts
