"""`inbox accept --keep-attachments`: the original is read back from the mailbox first, outside the write."""

from __future__ import annotations

from ..context import AppContext
from .accept import Accepted, accept, draft_for
from .original import fetch_original


def accept_from_mailbox(ctx: AppContext, ref: str, *, issue: str | None = None, to_next: bool = False,
                        category: str | None = None, keep: bool = False) -> Accepted:
    """Accept the draft (backlog, next or named issue); with `keep`, its attachments kept from the original."""
    original = None
    if keep:
        message, _draft = draft_for(ctx, ref)
        original = fetch_original(ctx, message.key)
    return accept(ctx, ref, issue=issue, to_next=to_next, category=category, original=original)
