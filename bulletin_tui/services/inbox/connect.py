"""The team mailbox's IMAP connection, signed in as the settings say (password or OAuth2)."""

from __future__ import annotations

import imaplib

from ...mailbox.imap import open_imap, resolved_imap
from ..context import AppContext
from .fetch import Folders


def folders(ctx: AppContext) -> Folders:
    imap = ctx.settings.imap
    return Folders(inbox=imap.folder, processed=imap.processed_folder, review=imap.review_folder)


def open_mailbox(ctx: AppContext) -> imaplib.IMAP4:
    """Connected, secured and signed in; ImapError / TokenUnavailable with the reason."""
    imap = resolved_imap(ctx.settings)
    token_source = None
    if imap.auth == "oauth2":
        from ..mailauth.wiring import token_provider

        token_source = token_provider(ctx.settings, ctx.data_dir)
    return open_imap(imap, token_source)
