"""Files outside the database that may hold a person: outbox messages (removed on erasure and by the retention
schedule), exports (reported on erasure, removed by the retention schedule)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from ...domain.text import normalise_email
from ...locations import exports_dir, outbox_dir
from ..context import AppContext


def outbox_messages_to(ctx: AppContext, email: str) -> list[Path]:
    """Outbox .eml files whose To header is this person (any spelling: matched by canonical address)."""
    key, found = normalise_email(email), []
    for path in outbox_messages(ctx):
        try:
            recipients = recipients_of(path)
        except OSError:
            continue
        if any(normalise_email(address) == key for address in recipients):
            found.append(path)
    return found


def _header_bytes(path: Path) -> bytes:
    """A message file's header block (up to the first empty line), read without reading the body."""
    lines = []
    with path.open("rb") as handle:
        for line in handle:
            if not line.strip(b"\r\n"):
                break
            lines.append(line.rstrip(b"\r\n"))
    return b"\n".join(lines)


def _header_block(path: Path) -> Message:
    """A message file's headers, parsed: UTF-8 headers (SMTPUTF8) understood."""
    block = _header_bytes(path).decode("utf-8", errors="replace")
    return HeaderParser(policy=policy.compat32).parsestr(block)


def recipients_of(path: Path) -> list[str]:
    """The addresses in a message file's To header: UTF-8 headers (SMTPUTF8) and RFC 2047 names understood."""
    values = _header_block(path).get_all("To", [])
    return [address for _, address in getaddresses([str(value) for value in values]) if address]


_DATE = re.compile(rb"^Date:[ \t]*([^\n]+)", re.MULTILINE | re.IGNORECASE)


def written_at(path: Path) -> datetime | None:
    """When an outbox message was "sent": its Date header (the app's clock), else None."""
    try:
        value = _DATE.search(_header_bytes(path))  # one header we wrote ourselves: no need to parse them all
        found = parsedate_to_datetime(value.group(1).decode("ascii", errors="replace")) if value else None
    except (OSError, TypeError, ValueError):
        return None
    return found if found is None or found.tzinfo else found.replace(tzinfo=UTC)


def outbox_messages(ctx: AppContext) -> list[Path]:
    """Every message file in the outbox."""
    return sorted(outbox_dir(ctx.data_dir, create=False).rglob("*.eml"), key=str)


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
    for path in export_files(ctx):
        try:
            lowered = path.read_bytes().lower()
        except OSError:
            continue
        if any(needle in lowered for needle in needles):
            found.append(path)
    return found


def export_files(ctx: AppContext) -> list[Path]:
    """Every file in the data folder's exports/."""
    return sorted(p for p in exports_dir(ctx.data_dir, create=False).rglob("*") if p.is_file())
