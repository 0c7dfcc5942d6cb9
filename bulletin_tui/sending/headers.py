"""Header values: refuse injection, encode non-ASCII, build Message-ID, Date and the List-* headers."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, quote

from ..domain.errors import DomainError
from ..domain.identity import ascii_domain, envelope_address

BULK_HEADERS = {
    "Auto-Submitted": "auto-generated",
    "Precedence": "bulk",
    "X-Auto-Response-Suppress": "OOF, AutoReply",
}
"""On every bulletin: out-of-office and auto-replies stay out of the team mailbox (RFC 3834; Exchange honours the
last one)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")
_SPECIALS = re.compile(r'[][\\()<>@,:;".]')


class HeaderInjectionError(DomainError):
    """A header value held CR, LF or another control character; nothing was sent."""


def checked(name: str, value: str) -> str:
    """The value unchanged, or HeaderInjectionError when it could smuggle a header or recipient."""
    if not _HEADER_NAME.match(name):
        raise HeaderInjectionError(f"header name {name!r} is not valid")
    if _CONTROL.search(value):
        raise HeaderInjectionError(f"header {name}: control characters (CR, LF, ...) are not allowed")
    return value


_BARE_ADDRESS = re.compile(r"^[^\s@<>(),;:\"\[\]\\]+@[^\s@<>(),;:\"\[\]\\]+$")


def single_address(name: str, value: str) -> str:
    """One bare address for To/From/Reply-To: no display name, no comments, no second recipient."""
    checked(name, value)
    if not _BARE_ADDRESS.match(value):
        raise HeaderInjectionError(f"header {name}: must be exactly one plain address, got {value!r}")
    return value


def encode_text(name: str, value: str) -> str:
    """An unstructured value (e.g. Subject) as ASCII, RFC 2047 encoded when needed."""
    checked(name, value)
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8", header_name=name).encode(linesep="\r\n")


def mailbox(name: str, display_name: str, address: str) -> str:
    """`Display Name <address>`: the name RFC 2047-encoded when it is not ASCII, the domain as A-labels."""
    checked(name, display_name)
    address = envelope_address(single_address(name, address))
    if not display_name:
        return address
    if address.isascii():
        return formataddr((display_name, address), charset="utf-8")
    return f"{display_name_text(display_name)} <{address}>"  # a UTF-8 local part (SMTPUTF8, RFC 6532)


def display_name_text(display_name: str) -> str:
    """A display name as a header phrase: quoted when it holds specials, RFC 2047-encoded when not ASCII."""
    if not display_name.isascii():
        return Header(display_name, "utf-8").encode(linesep="\r\n")
    return f'"{quote(display_name)}"' if _SPECIALS.search(display_name) else display_name


def message_id(domain: str) -> str:
    """A globally unique Message-ID in the sender's domain."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def date_header(at: datetime) -> str:
    """RFC 5322 date of an aware datetime."""
    return format_datetime(at)


def list_id(team_name: str, list_slug: str, domain: str) -> str:
    """`"Team: list" <list.domain>` (RFC 2919)."""
    label = f"{team_name}: {list_slug}".replace('"', "'")
    return checked("List-Id", f'"{label}" <{list_slug}.{domain}>')


def list_unsubscribe(mailto: str, https_url: str = "") -> dict[str, str]:
    """List-Unsubscribe (mailto, plus https) and List-Unsubscribe-Post when the URL is https (RFC 8058)."""
    for value in (mailto, https_url):
        checked("List-Unsubscribe", value)
        if ">" in value or "<" in value or "," in value:
            raise HeaderInjectionError(f"List-Unsubscribe: {value!r} is not a plain URI")
    links = [f"<{mailto}>"] if mailto else []
    if https_url:
        links.append(f"<{https_url}>")
    headers = {"List-Unsubscribe": ", ".join(links)} if links else {}
    if https_url.lower().startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def sender_domain(address: str) -> str:
    """The domain of an address (as A-labels), for Message-IDs."""
    return ascii_domain(address.rpartition("@")[2]) or "localhost"
