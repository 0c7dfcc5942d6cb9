"""The suppression list (hard bounces, erasures): keyed HMACs of normalised addresses, never the addresses."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from ...domain.errors import NotFoundError
from ...domain.subscribers import SuppressionEntry
from ...domain.text import normalise_email
from ...storage.collection import Collection
from ..context import AppContext
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


def suppression_digest(ctx: AppContext, email: str) -> str:
    """The keyed HMAC that stands for this address in the suppression list, ledgers and audit lines."""
    return digester(ctx)(email)


def suppressed_digests(ctx: AppContext) -> set[str]:
    return set(suppressions(ctx).keys())


def is_suppressed(ctx: AppContext, email: str) -> bool:
    table = suppressions(ctx)
    return bool(len(table)) and suppression_digest(ctx, email) in table


def suppress(ctx: AppContext, email: str, reason: str) -> None:
    """Add the address (as its HMAC); an address already suppressed keeps its first reason."""
    digest = suppression_digest(ctx, email)
    table = suppressions(ctx)
    if digest not in table:
        table.put(SuppressionEntry(digest=digest, reason=reason, at=ctx.clock.now(), operator=ctx.operator))


def suppression_reason(ctx: AppContext, email: str) -> str | None:
    table = suppressions(ctx)
    entry = table.get(suppression_digest(ctx, email)) if len(table) else None
    return None if entry is None else entry.reason


def unsuppress(ctx: AppContext, email: str) -> SuppressionEntry:
    """Lift a suppression (the person asked to receive mail again); NotFoundError if it was not there."""
    digest = suppression_digest(ctx, email)
    table = suppressions(ctx)
    entry = table.get(digest)
    if entry is None:
        raise NotFoundError(f"{email} is not on the suppression list")
    table.delete(digest)
    return entry
