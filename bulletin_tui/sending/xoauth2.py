"""SASL XOAUTH2 (OAuth2 bearer tokens on SMTP and IMAP) and the token a transport asks for on each connection.

The client response is `"user=" + user + "\\x01auth=Bearer " + token + "\\x01\\x01"`: IMAP sends `xoauth2_bytes`,
SMTP signs in with aiosmtplib's own `SMTP.auth_xoauth2` (`smtp.sign_in_xoauth2`); both refuse a user or token that
is empty or has control characters (`check_xoauth2_fields`). A token is a secret: it is never part of a `repr`, a
log line or an error message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from ..domain.errors import DomainError

EXPIRY_MARGIN = 60.0
"""Seconds before its expiry that a token (and a connection signed in with it) counts as expired."""


class TokenUnavailable(DomainError):
    """No token could be had (not signed in, the token endpoint refused, no secret); the message says why."""


@dataclass(frozen=True)
class AccessToken:
    """An OAuth2 access token, when it expires (epoch seconds) and, if known, the account it belongs to."""

    token: str = field(repr=False)
    expires_at: float
    username: str = ""

    def expired(self, now: float | None = None, margin: float = EXPIRY_MARGIN) -> bool:
        """True when less than `margin` seconds of validity are left."""
        return (time.time() if now is None else now) >= self.expires_at - margin


class TokenSource(Protocol):
    """Gives a current access token (refreshing or fetching one as needed); raises TokenUnavailable."""

    def __call__(self) -> AccessToken: ...


def check_xoauth2_fields(user: str, token: str) -> None:
    """DomainError if the user or the token is empty or could break out of its SASL field."""
    for name, value in (("user", user), ("token", token)):
        if not value or any(c in value for c in "\x01\r\n"):
            raise DomainError(f"xoauth2: the {name} is empty or contains control characters")


def xoauth2_bytes(user: str, token: str) -> bytes:
    """The raw SASL XOAUTH2 client response (before base64), as IMAP `AUTHENTICATE` wants it."""
    check_xoauth2_fields(user, token)
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
