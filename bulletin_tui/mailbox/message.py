"""Parsing a message that may be broken in any way: never raise, keep what can be read, note what could not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

MAX_TEXT = 200_000
"""Characters of body text looked at (a 20 MB attachment is never decoded for classification)."""


@dataclass(frozen=True)
class Mail:
    """One fetched message: the parsed tree plus the few values every classifier needs, read safely."""

    message: EmailMessage
    size: int
    unreadable: str = ""
    """Why the body could not be parsed (then `message` holds the headers only), or ''."""

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


MAX_PARTS = 2_000
"""Boundary lines above which a message is not parsed (50,000 parts took 20 s): no reply or report has so many."""


def parse_mail(raw: bytes) -> Mail:
    """The message parsed with the modern policy; structural defects are kept as defects, not raised. A message
    the parser cannot or should not take (nesting a thousand parts deep, thousands of parts) keeps its headers
    and says why."""
    boundaries = raw.count(b"\n--")
    if boundaries > MAX_PARTS:
        return headers_only(raw, len(raw), f"the message has {boundaries:,} part boundaries: not parsed")
    try:
        parsed = message_from_bytes(raw, policy=policy.default)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, IndexError) as exc:
        return headers_only(raw, len(raw), f"the message could not be parsed ({type(exc).__name__})")
    assert isinstance(parsed, EmailMessage)
    return Mail(parsed, len(raw))


def headers_only(raw: bytes, size: int, reason: str) -> Mail:
    """A message known by its headers alone (`raw` may be the whole message or only its header block)."""
    try:
        parsed = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    except (RecursionError, ValueError, LookupError, TypeError, IndexError):
        parsed = EmailMessage(policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return Mail(parsed, size, reason)


def header(message: Message, name: str) -> str:
    """A header as text, '' when missing; its raw text when the policy cannot parse it (`Message-ID: <`, a broken
    encoded word): reading a header never raises, so one malformed message cannot stop a run."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - the stdlib header parsers raise IndexError, HeaderParseError, ... on junk
        return raw_header(message, name)
    return "" if value is None else str(value)


def raw_header(message: Message, name: str) -> str:
    """The first `name` header's text as received (unfolded, not decoded), without the policy's parser."""
    values = raw_header_values(message, name)
    return values[0] if values else ""


def raw_header_values(message: Message, name: str) -> list[str]:
    """Every `name` header's text as received, topmost first (unfolded, not decoded)."""
    wanted = name.lower()
    return [" ".join(str(value).split()) for key, value in message.raw_items() if key.lower() == wanted]


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


def top_level_text(message: Message) -> str:
    """The message's own body as text: its first text/plain part (else text/html as text, quotes marked `> `),
    never a part of an attached or returned message (message/rfc822)."""
    from .htmltext import html_to_text, strip_markers

    plain = html = ""
    for part in _own_parts(message):
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain" and not plain:
            plain = part_text(part)
        elif part.get_content_type() == "text/html" and not html:
            html = part_text(part)
    return plain if plain.strip() else strip_markers(html_to_text(html))


def _own_parts(message: Message, depth: int = 0) -> Iterator[Message]:
    """The leaf parts of this message, not descending into message/* parts (an attached or returned message)."""
    if message.get_content_maintype() == "message" or depth > 50:
        return
    if not message.is_multipart():
        yield message
        return
    payload = message.get_payload()
    for part in payload if isinstance(payload, list) else []:
        if isinstance(part, Message):
            yield from _own_parts(part, depth + 1)


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
