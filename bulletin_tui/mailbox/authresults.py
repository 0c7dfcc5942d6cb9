"""Which `Authentication-Results` header to believe (RFC 8601): only the receiving server's own.

A sender can write any header it likes, including `dmarc=pass`; the receiving server prepends its own above
whatever arrived. So the one header that counts is the topmost, or, when `[imap] trusted_authserv_id` names the
receiving server, the topmost header carrying that authserv-id. Exchange Online writes its header without an
authserv-id (`Authentication-Results: spf=pass (sender IP is …) …; dmarc=pass action=none header.from=…`): leave the
setting empty there and the topmost header is used.
"""

from __future__ import annotations

import re
from email.message import Message

from .message import raw_header_values

_DMARC = re.compile(r"(?:^|;)\s*dmarc\s*=\s*(\w+)\b([^;]*)", re.I)
_HEADER_FROM = re.compile(r"\bheader\.from\s*=\s*\"?([^\s;\"]+)", re.I)


def authserv_id(value: str) -> str:
    """The authserv-id a header starts with, '' when it starts with a result (`spf=pass …`, Exchange Online)."""
    first = value.split(";", 1)[0].strip()
    return "" if "=" in first else first.split()[0].lower() if first else ""


def trusted_results(message: Message, trusted_id: str = "") -> str:
    """The one Authentication-Results header to believe, '' when there is none."""
    values = raw_header_values(message, "Authentication-Results")
    if not trusted_id:
        return values[0] if values else ""
    return next((v for v in values if authserv_id(v) == trusted_id.strip().lower()), "")


def dmarc_pass_for(message: Message, domain: str, trusted_id: str = "") -> bool:
    """DMARC passed for `domain` (the From domain), by the receiving server's own header."""
    for found in _DMARC.finditer(trusted_results(message, trusted_id)):
        named = _HEADER_FROM.search(found.group(2))
        if found.group(1).lower() == "pass" and named and named.group(1).lower().strip(".") == domain.lower():
            return True
    return False
