"""Signed, expiring values for the web face: confirmation links and CSRF tokens (HMAC with keys derived from the
installation secret; nothing to store)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from ...storage.readmodel import ReadContext
from ..subscribers.secret import derived_key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class Signer:
    """`sign(value)` -> `value.expiry.mac`; `verify` gives the value back, or None if forged or expired."""

    def __init__(self, key: bytes, lifetime_s: int) -> None:
        self.key, self.lifetime_s = key, lifetime_s

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self.key, body.encode(), hashlib.sha256).digest()[:18])

    def sign(self, value: str, now: float | None = None) -> str:
        body = f"{value}.{int((now or time.time()) + self.lifetime_s)}"
        return f"{body}.{self._mac(body)}"

    def verify(self, signed: str, now: float | None = None) -> str | None:
        body, _, mac = signed.rpartition(".")
        value, _, expiry = body.rpartition(".")
        if not value or not expiry.isdigit() or not hmac.compare_digest(mac, self._mac(body)):
            return None
        return value if int(expiry) >= (now or time.time()) else None


def confirmation_signer(ctx: ReadContext) -> Signer:
    """Links in confirmation e-mails: valid for 48 hours."""
    return Signer(derived_key(ctx, "web-confirm-v1"), 48 * 3600)


def csrf_signer(ctx: ReadContext) -> Signer:
    """Form tokens (double-submitted in a cookie and a hidden field): valid for 2 hours."""
    return Signer(derived_key(ctx, "web-csrf-v1"), 2 * 3600)
