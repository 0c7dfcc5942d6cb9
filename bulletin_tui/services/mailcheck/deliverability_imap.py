"""The mailbox half of the deliverability check: wait for one Message-ID in the selected folder, read it whole
(without marking it read), then delete it (UID EXPUNGE where the server offers UIDPLUS, so nothing else goes)."""

from __future__ import annotations

import imaplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...mailbox.folder import FolderError, ImapFolder


@dataclass(frozen=True)
class Fetched:
    """The test message as the mailbox holds it: its bytes, its size as the server reports it, what became of it."""

    raw: bytes
    size: int
    removed: str


def _ok(result: tuple[str, Any], what: str) -> list[Any]:
    status, data = result
    if status != "OK":
        reply = b" ".join(d for d in data or [] if isinstance(d, bytes)).decode(errors="replace")
        raise FolderError(f"imap: {what}: {reply}")
    return list(data or [])


def find_message(box: ImapFolder, message_id: str) -> list[int]:
    """UIDs in the folder whose Message-ID header holds `message_id` (a NOOP first, so new mail is seen)."""
    box.client.noop()
    quoted = '"' + message_id.replace("\\", "\\\\").replace('"', '\\"') + '"'
    data = _ok(box.client.uid("SEARCH", "HEADER", "Message-ID", quoted), "search")
    return [int(n) for n in data[0].split()] if data and isinstance(data[0], bytes) else []


def delete_messages(box: ImapFolder, uids: list[int]) -> str:
    """Flag them deleted and expunge them (only them where UIDPLUS is offered); what was done, in words."""
    wanted = ",".join(str(u) for u in uids)
    _ok(box.client.uid("STORE", wanted, "+FLAGS.SILENT", r"(\Deleted)"), "flag as deleted")
    if b"UIDPLUS" in box.capabilities:
        _ok(box.client.uid("EXPUNGE", wanted), "expunge")
    else:
        _ok(box.client.expunge(), "expunge")
    return f"deleted from {box.name}"


def wait_for_message(box: ImapFolder, message_id: str, wait_s: float, poll_s: float,
                     sleep: Callable[[float], None] = time.sleep) -> Fetched | None:
    """Poll until the message is there (then read and delete it) or `wait_s` has passed (None)."""
    deadline = time.monotonic() + wait_s
    uids = find_message(box, message_id)
    while not uids and time.monotonic() < deadline:
        sleep(min(poll_s, max(0.0, deadline - time.monotonic())))
        uids = find_message(box, message_id)
    if not uids:
        return None
    try:
        size = box.sizes(uids[:1]).get(uids[0], 0)
        raw = box.fetch(uids[:1]).get(uids[0], b"")
    finally:
        try:
            removed = delete_messages(box, uids)
        except (FolderError, OSError, imaplib.IMAP4.error) as exc:
            removed = f"NOT deleted ({exc}): delete {message_id} by hand"
    return Fetched(raw, size or len(raw), removed)
