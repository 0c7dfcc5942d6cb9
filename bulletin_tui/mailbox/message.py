"""Parsing a message that may be broken in any way: never raise, keep what can be read, note what could not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

MAX_TEXT = 200_000
"""Characters of body text looked at (a 20 MB attachment is never decoded for classification)."""


@dataclass(frozen=True)
class Mail:
    """One fetched message: the parsed tree plus the few values every classifier needs, read safely."""

    message: EmailMessage
    size: int

    @property
    def message_id(self) -> str:
        return header(self.message, "Message-ID").strip()

    @property
    def subject(self) -> str:
        return " ".join(header(self.message, "Subject").split())

    @property
    def sender(self) -> str:
        """The From address (lower-cased domain), or '' when there is none that parses."""
        name, address = parseaddr(header(self.message, "From"))
        del name
        return address if "@" in address else ""

    @property
    def recipients(self) -> list[str]:
        return [a for _, a in getaddresses([header(self.message, "To")]) if "@" in a]


def parse_mail(raw: bytes) -> Mail:
    """The message parsed with the modern policy; structural defects are kept as defects, not raised."""
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return Mail(parsed, len(raw))


def header(message: Message, name: str) -> str:
    """A header as text, '' when missing or undecodable (a broken encoded word must not stop a run)."""
    try:
        value = message.get(name)
    except (ValueError, LookupError, UnicodeError, IndexError, TypeError):
        raw = message.get_all(name, failobj=[""]) if hasattr(message, "get_all") else [""]
        return str(raw[0]) if raw else ""
    return "" if value is None else str(value)


def walk(message: Message) -> Iterator[Message]:
    """Every part, depth first; a part whose structure cannot be walked is skipped."""
    try:
        yield from message.walk()
    except (ValueError, LookupError, TypeError):
        yield message


def part_text(part: Message, limit: int = MAX_TEXT) -> str:
    """The decoded text of one leaf part, '' when its payload or charset cannot be read."""
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, LookupError, TypeError):
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload[: limit * 4].decode(charset, errors="replace")[:limit]
    except LookupError:
        return payload[: limit * 4].decode("utf-8", errors="replace")[:limit]


def body_text(mail: Mail) -> str:
    """The first text/plain part (else text/html stripped of tags), for humans and for token search."""
    plain = html = ""
    for part in walk(mail.message):
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and not plain:
            plain = part_text(part)
        elif kind == "text/html" and not html:
            html = part_text(part)
    if plain:
        return plain
    import re

    return re.sub(r"<[^>]+>", " ", html)


def attached_headers(message: Message) -> Message | None:
    """The returned original's headers: a message/rfc822 part or a text/rfc822-headers part, if any."""
    for part in walk(message):
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global") and part.is_multipart():
            inner = part.get_payload(0)
            if isinstance(inner, Message):
                return inner
        if kind in ("text/rfc822-headers", "message/rfc822-headers", "text/rfc822"):
            return message_from_bytes(part_text(part).encode("utf-8", "replace"), policy=policy.default)
    return None
