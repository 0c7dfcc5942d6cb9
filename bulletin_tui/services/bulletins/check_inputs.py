"""What an issue's pre-send checks read, as one fingerprint: the issue, its items, the lists, the sessions it
lists, the awareness calendar and the day. A screen that shows the checks re-runs them (a render, ~0.2 s) only when
this changes, not after every save by another process (a registration, a subscriber)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from ...domain.times import LONDON
from ..awareness.campaigns import campaigns_table
from ..context import AppContext


def checks_fingerprint(ctx: AppContext, slug: str, lists: Iterable[str] = ()) -> str:
    """A short digest of everything `run_checks(ctx, slug, list_slug=lists)` depends on ('' for no such issue)."""
    issue = ctx.store.issues.row(slug)
    if issue is None:
        return ""
    store = ctx.store
    inputs: list[Any] = [
        issue, [store.items.row(item_id) for item_id in issue.get("item_ids", [])], sorted(lists),
        sorted(store.lists.rows(), key=lambda row: str(row.get("slug"))),
        sorted(store.sessions.rows(), key=lambda row: str(row.get("slug"))),
        sorted(campaigns_table(ctx).rows(), key=lambda row: str(row.get("slug"))),
        ctx.clock.now().astimezone(LONDON).date().isoformat(),
    ]
    encoded = orjson.dumps(inputs, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.blake2b(encoded, digest_size=12).hexdigest()
