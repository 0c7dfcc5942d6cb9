"""`inbox fetch`: read the team mailbox once, in one go (the worker and the TUI go batch by batch)."""

from __future__ import annotations

from ..context import AppContext
from .connect import folders, open_mailbox
from .fetch import FetchReport, fetch_inbox


def fetch_mailbox(ctx: AppContext, *, dry_run: bool = False) -> FetchReport:
    """Connect, handle every new message ([imap] trust_sender as set), sign out; the report of what was done."""
    client = open_mailbox(ctx)
    try:
        return fetch_inbox(ctx, client, folders(ctx), dry_run=dry_run, trust_sender=ctx.settings.imap.trust_sender)
    finally:
        client.logout()
