"""The original of a reviewed message, read back from the team mailbox (to keep its attachments)."""

from __future__ import annotations

import contextlib
import imaplib

from ...domain.errors import DomainError
from ...mailbox.folder import FolderError, ImapFolder
from ..context import AppContext
from .connect import folders, open_mailbox


def _search(client: imaplib.IMAP4, folder: str, message_id: str) -> bytes | None:
    try:
        box = ImapFolder(client, folder)
    except FolderError:
        return None
    status, data = client.uid("SEARCH", "HEADER", "Message-ID", '"' + message_id.replace('"', "") + '"')
    uids = [int(n) for n in data[0].split()] if status == "OK" and data and isinstance(data[0], bytes) else []
    found = box.fetch(uids[-1:]) if uids else {}
    return next(iter(found.values()), None)


def fetch_original(ctx: AppContext, message_key: str) -> bytes:
    """The message's raw bytes from the review folder (else the inbox or the processed folder)."""
    if not message_key.startswith("<"):
        raise DomainError(
            f"{message_key} has no Message-ID to find it by in the mailbox; save it as an .eml file "
            "and use: bulletin-tui bulletin add-item --from-eml FILE --keep-attachments"
        )
    where = folders(ctx)
    client = open_mailbox(ctx)
    try:
        separator = ImapFolder(client, where.inbox).separator
        for folder in (where.review, where.inbox, where.processed):
            raw = _search(client, folder.replace("/", separator), message_key) if folder else None
            if raw is not None:
                return raw
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    raise DomainError(
        f"{message_key} is no longer in the mailbox ({where.review}, {where.inbox}, "
        f"{where.processed}); its attachments cannot be kept"
    )
