"""Files outside the database that may hold a person: outbox messages (removed on erasure), exports (reported)."""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from ...domain.text import normalise_email
from ...locations import exports_dir, outbox_dir
from ..context import AppContext


def outbox_messages_to(ctx: AppContext, email: str) -> list[Path]:
    """Outbox .eml files whose To header is this person."""
    key, parser, found = normalise_email(email), BytesHeaderParser(), []
    for path in sorted(outbox_dir(ctx.data_dir, create=False).rglob("*.eml")):
        try:
            with path.open("rb") as handle:
                headers = parser.parse(handle)
        except OSError:
            continue
        recipients = getaddresses([str(value) for value in headers.get_all("To", [])])
        if any(normalise_email(address) == key for _, address in recipients):
            found.append(path)
    return found


def remove_outbox_messages(ctx: AppContext, email: str) -> int:
    """Delete the person's outbox messages (their copy of what was "sent" in outbox mode)."""
    doomed = outbox_messages_to(ctx, email)
    for path in doomed:
        path.unlink(missing_ok=True)
    return len(doomed)


def exports_holding(ctx: AppContext, spellings: set[str]) -> list[Path]:
    """Files in the exports folder that contain the address (the operator must delete or keep them knowingly)."""
    needles = {s.lower().encode() for s in spellings if s}
    found = []
    for path in sorted(p for p in exports_dir(ctx.data_dir, create=False).rglob("*") if p.is_file()):
        try:
            lowered = path.read_bytes().lower()
        except OSError:
            continue
        if any(needle in lowered for needle in needles):
            found.append(path)
    return found
