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
    """A function from address to its suppression digest, keyed once (fast for many addresses)."""
    key = derived_key(ctx, "suppression-v1")

    def digest(email: str) -> str:
        return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()

    return digest


def suppression_digest(ctx: AppContext, email: str) -> str:
    """The keyed HMAC that stands for this address in the suppression list, ledgers and audit lines."""
    return digester(ctx)(email)


def suppressed_digests(ctx: AppContext) -> set[str]:
    return set(suppressions(ctx).keys())


def is_suppressed(ctx: AppContext, email: str) -> bool:
    return suppression_digest(ctx, email) in suppressions(ctx)


def suppress(ctx: AppContext, email: str, reason: str, *, campaign: str = "", reply: str = "") -> None:
    """Add the address (as its HMAC); an address already suppressed keeps its first reason.

    `campaign` and `reply` record the bounce that caused it, so `lift_campaign` can undo one campaign's bounces;
    a later suppression without a campaign (erasure, the operator) pins it: `lift_campaign` leaves it alone."""
    digest = suppression_digest(ctx, email)
    table = suppressions(ctx)
    entry = table.get(digest)
    if entry is None:
        table.put(SuppressionEntry(digest=digest, reason=reason[:200], at=ctx.clock.now(), operator=ctx.operator,
                                   campaign=campaign, reply=reply[:300]))
    elif entry.campaign and not campaign:
        table.put(entry.model_copy(update={"campaign": "", "reason": f"{reason} (first: {entry.reason})"[:200]}))


def lift_campaign(ctx: AppContext, campaign_id: str) -> list[SuppressionEntry]:
    """Lift every suppression that campaign's bounces created (one write); never an erasure or an unsubscribe."""
    table = suppressions(ctx)
    created = table.filter(lambda entry: entry.campaign == campaign_id)
    table.delete_many(entry.digest for entry in created)
    return created


def suppression_reason(ctx: AppContext, email: str) -> str | None:
    entry = suppressions(ctx).get(suppression_digest(ctx, email))
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
