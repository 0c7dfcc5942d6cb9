"""The suppression list (hard bounces, erasures): keyed HMACs of normalised addresses, never the addresses.

New entries are digests of the canonical form (`domain/identity.py`). Entries made by schema version 1 are digests
of the legacy form and cannot be recomputed (the address is not held), so every check also matches the digests of
the legacy forms the same person may have had (docs/identity.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from ...domain.errors import NotFoundError
from ...domain.identity import legacy_keys
from ...domain.subscribers import SuppressionEntry
from ...domain.text import normalise_email
from ...storage.collection import Collection
from ...storage.readmodel import ReadContext
from ..context import AppContext, one_write
from ..subscribers.secret import derived_key

TABLE = "suppressions"


def suppressions(ctx: AppContext) -> Collection[SuppressionEntry]:
    return ctx.store.collection(TABLE, SuppressionEntry, lambda entry: entry.digest)


def digester(ctx: AppContext) -> Callable[[str], str]:
    """A function from address to its suppression digest, keyed once on first use (fast for many addresses;
    free for a reader that never needs it, so reading creates no key)."""
    keys: list[bytes] = []

    def digest(email: str) -> str:
        if not keys:
            keys.append(derived_key(ctx, "suppression-v1"))
        return hmac.new(keys[0], normalise_email(email).encode(), hashlib.sha256).hexdigest()

    return digest


def suppression_check(ctx: AppContext) -> Callable[[str], bool]:
    """A function from address to "is it suppressed?" (canonical and legacy digests), keyed once; the digests are
    read again whenever this process's view of the database changed (its own save, or another's re-read)."""
    found, seen, blocked = _finder(ctx), [ctx.store.generation], suppressed_digests(ctx)

    def check(email: str) -> bool:
        nonlocal blocked
        if ctx.store.generation != seen[0]:
            seen[0], blocked = ctx.store.generation, suppressed_digests(ctx)
        return bool(blocked) and bool(found(email, blocked))

    return check


def suppressed_among(ctx: ReadContext, blocked: set[str]) -> Callable[[str], bool]:
    """`suppression_check` against digests read elsewhere (the web face's view of the database)."""
    found = _finder(ctx)
    return lambda email: bool(blocked) and bool(found(email, blocked))


def _finder(ctx: ReadContext) -> Callable[[str, set[str] | Collection[SuppressionEntry]], list[str]]:
    """(address, digests held) -> the held digests that stand for this address."""
    key = derived_key(ctx, "suppression-v1")

    def find(email: str, held: set[str] | Collection[SuppressionEntry]) -> list[str]:
        forms = {normalise_email(email)} | legacy_keys(email)
        digests = (hmac.new(key, form.encode(), hashlib.sha256).hexdigest() for form in sorted(forms))
        return [digest for digest in digests if digest in held]

    return find


def matching_digests(ctx: AppContext, email: str) -> list[str]:
    """The suppression entries that stand for this address (its canonical digest, or legacy ones)."""
    return _finder(ctx)(email, suppressions(ctx))


def suppression_digest(ctx: AppContext, email: str) -> str:
    """The keyed HMAC that stands for this address in the suppression list, ledgers and audit lines."""
    return digester(ctx)(email)


def suppressed_digests(ctx: AppContext) -> set[str]:
    return set(suppressions(ctx).keys())


def is_suppressed(ctx: AppContext, email: str) -> bool:
    return bool(matching_digests(ctx, email))


@one_write
def suppress(ctx: AppContext, email: str, reason: str, *, campaign: str = "", reply: str = "") -> None:
    """Add the address (as its HMAC); an address already suppressed keeps its first reason.

    `campaign` and `reply` record the bounce that caused it, so `lift_campaign` can undo one campaign's bounces;
    a later suppression without a campaign (erasure, the operator) pins it: `lift_campaign` leaves it alone."""
    table = suppressions(ctx)
    held = matching_digests(ctx, email)
    entry = table.get(held[0]) if held else None
    if entry is None:
        digest = suppression_digest(ctx, email)
        table.put(SuppressionEntry(digest=digest, reason=reason[:200], at=ctx.clock.now(), operator=ctx.operator,
                                   campaign=campaign, reply=reply[:300]))
    elif entry.campaign and not campaign:
        table.put(entry.model_copy(update={"campaign": "", "reason": f"{reason} (first: {entry.reason})"[:200]}))


@one_write
def lift_campaign(ctx: AppContext, campaign_id: str) -> list[SuppressionEntry]:
    """Lift every suppression that campaign's bounces created (one write); never an erasure or an unsubscribe."""
    table = suppressions(ctx)
    created = table.filter(lambda entry: entry.campaign == campaign_id)
    table.delete_many(entry.digest for entry in created)
    return created


def suppression_reason(ctx: AppContext, email: str) -> str | None:
    table = suppressions(ctx)
    entries = [table.get(digest) for digest in matching_digests(ctx, email)]
    return next((entry.reason for entry in entries if entry is not None), None)


@one_write
def unsuppress(ctx: AppContext, email: str) -> SuppressionEntry:
    """Lift a suppression (the person asked to receive mail again); NotFoundError if it was not there."""
    table = suppressions(ctx)
    digests = matching_digests(ctx, email)
    entry = table.get(digests[0]) if digests else None
    if entry is None:
        raise NotFoundError(f"{email} is not on the suppression list")
    table.delete_many(digests)
    return entry
