"""Unsubscribe tokens: HMAC-signed, URL-safe, carrying an opaque subscriber reference (never the address).

Format `u1.REF.LIST.VERSION.MAC`: REF is a keyed hash of the normalised address, VERSION the membership's
`token_version` (raised on every re-subscribe, so older tokens die), MAC an HMAC-SHA256 over the rest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable

from ...domain.errors import DomainError
from ...domain.identity import legacy_keys
from ...domain.text import SLUG_RE, normalise_email
from ...storage.readmodel import ReadContext
from ..context import AppContext
from ..subscribers.secret import derived_key

PREFIX = "u1"
TOKEN_RE = re.compile(r"\bu1\.[A-Za-z0-9_-]{16}\.[a-z0-9][a-z0-9-]{0,62}\.\d{1,9}\.[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _form_referencer(ctx: ReadContext) -> Callable[[str], str]:
    """A matching key (canonical or legacy form, taken as it is) -> its opaque reference."""
    key = derived_key(ctx, "subscriber-ref-v1")
    return lambda form: _b64(hmac.new(key, form.encode(), hashlib.sha256).digest()[:12])


def _referencer(ctx: ReadContext) -> Callable[[str], str]:
    reference = _form_referencer(ctx)
    return lambda email: reference(normalise_email(email))


def _mac(ctx: ReadContext, body: str) -> str:
    return _b64(hmac.new(derived_key(ctx, "unsubscribe-v1"), body.encode(), hashlib.sha256).digest()[:16])


def token_maker(ctx: ReadContext, list_slug: str) -> Callable[[str], str]:
    """Address -> its token for this list at the membership's current version; keys derived once (for a send)."""
    reference, mac_key, people = _referencer(ctx), derived_key(ctx, "unsubscribe-v1"), ctx.store.subscribers

    def token(email: str) -> str:
        row = people.row(normalise_email(email)) or {}
        version = int(row.get("lists", {}).get(list_slug, {}).get("token_version", 0))
        body = f"{PREFIX}.{reference(email)}.{list_slug}.{version}"
        return f"{body}.{_b64(hmac.new(mac_key, body.encode(), hashlib.sha256).digest()[:16])}"

    return token


def unsubscribe_token(ctx: AppContext, email: str, list_slug: str) -> str:
    """The token for this person's membership of this list (at its current token version)."""
    return token_maker(ctx, list_slug)(email)


def reference_index(ctx: ReadContext, keys: Iterable[str] | None = None) -> dict[str, str]:
    """Opaque reference -> subscriber key, for resolving many tokens at once.

    Tokens sent before the canonical form (schema version 2) carry a reference to the legacy form of the
    address; those references resolve too, so a link in an old bulletin still unsubscribes."""
    reference = _form_referencer(ctx)
    index: dict[str, str] = {}
    for key in ctx.store.subscribers.keys() if keys is None else keys:
        if not key.isascii() or "xn--" in key:
            index.update((reference(form), key) for form in legacy_keys(key))
        index[reference(normalise_email(key))] = key
    return index


def find_tokens(text: str) -> list[str]:
    """Every well-formed token in a piece of text (a subject line, a message body, a URL)."""
    return TOKEN_RE.findall(text)


def verify_unsubscribe_token(
    ctx: AppContext, token: str, index: dict[str, str] | None = None
) -> tuple[str, str]:
    """(email key, list slug) for a genuine, current token; DomainError if forged, malformed or stale."""
    parts = token.strip().split(".")
    if len(parts) != 5 or parts[0] != PREFIX or not SLUG_RE.match(parts[2]) or not parts[3].isdigit():
        raise DomainError("not an unsubscribe token")
    body, mac = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(_mac(ctx, body).encode(), mac.encode()):
        raise DomainError("the unsubscribe token is not genuine (signature check failed)")
    reference, list_slug, version = parts[1], parts[2], int(parts[3])
    key = (index if index is not None else reference_index(ctx)).get(reference)
    subscriber = ctx.store.subscribers.get(key) if key else None
    if key is None or subscriber is None:
        raise DomainError("the unsubscribe token belongs to no current subscriber (erased or never imported)")
    membership = subscriber.lists.get(list_slug)
    if membership is None or membership.token_version != version:
        raise DomainError("the unsubscribe token is out of date (the person has re-subscribed since)")
    return key, list_slug


def genuine_token_list(ctx: ReadContext, token: str) -> str | None:
    """The list a token is for when its signature is genuine (the key alone decides: no lookup of the person)."""
    parts = token.strip().split(".")
    if len(parts) != 5 or parts[0] != PREFIX or not SLUG_RE.match(parts[2]) or not parts[3].isdigit():
        return None
    return parts[2] if hmac.compare_digest(_mac(ctx, ".".join(parts[:4])).encode(), parts[4].encode()) else None
