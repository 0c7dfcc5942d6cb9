"""A secured, signed-in IMAP connection with the standard library's `imaplib`: password or SASL XOAUTH2.

    client = open_imap(settings, token_source)   # connected, TLS, authenticated (Settings or ImapSettings)
    client.select("INBOX", readonly=True)

Security: `tls` (implicit, 993) or `starttls` (143, STARTTLS required); certificates are verified. `none`
(plaintext) only to a loopback address. Neither a password nor a token is sent without TLS except to loopback.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Callable

from ..config import ImapSettings, Settings
from ..domain.errors import DomainError
from ..domain.text import is_loopback
from ..sending.xoauth2 import TokenSource, TokenUnavailable, xoauth2_bytes


class ImapError(DomainError):
    """The IMAP server could not be reached, secured or signed in to; the message says which and why."""


def resolved_imap(settings: Settings) -> ImapSettings:
    """`[imap]` with its defaults filled in from `[smtp]` (username, auth)."""
    imap = settings.imap
    return imap.model_copy(update={"username": imap.username or settings.smtp.username,
                                   "auth": imap.auth or settings.smtp.auth})


def connect_imap(imap: ImapSettings, ssl_context: ssl.SSLContext | None = None) -> imaplib.IMAP4:
    """Connected and (unless plaintext to loopback) secured, not yet signed in."""
    if not imap.host:
        raise ImapError("imap.host is not set: no team mailbox to read (set [imap] host and how to sign in; "
                        "`bulletin-tui mail check` tests them)")
    if imap.security == "none" and not is_loopback(imap.host):
        raise ImapError(f"imap: refusing plaintext to {imap.host}; use tls or starttls")
    context = ssl_context or ssl.create_default_context()
    try:
        if imap.security == "tls":
            return imaplib.IMAP4_SSL(imap.host, imap.port, ssl_context=context, timeout=imap.timeout)
        client = imaplib.IMAP4(imap.host, imap.port, timeout=imap.timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"imap: {imap.host}:{imap.port}: {_one_line(exc)}") from None
    if imap.security == "starttls":
        try:
            client.starttls(ssl_context=context)
        except (OSError, imaplib.IMAP4.error) as exc:
            client.shutdown()
            raise ImapError(f"imap: STARTTLS with {imap.host} failed: {_one_line(exc)}") from None
    return client


def authenticate_imap(client: imaplib.IMAP4, imap: ImapSettings, token_source: TokenSource | None) -> str:
    """Sign in with a password or XOAUTH2; the username used. ImapError / TokenUnavailable on refusal."""
    secured = isinstance(client, imaplib.IMAP4_SSL) or getattr(client, "_tls_established", False)
    if not secured and not is_loopback(imap.host):
        raise ImapError("imap: refusing to sign in over a connection without TLS")
    try:
        if imap.auth == "oauth2":
            if token_source is None:
                raise TokenUnavailable("imap: auth = oauth2 needs [oauth] settings")
            token = token_source()
            user = imap.username or token.username
            client.authenticate("XOAUTH2", _xoauth2_answers(user, token.token))
            return user
        client.login(imap.username, imap.password.get_secret_value())
        return imap.username
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"imap: sign-in as {imap.username or 'the token user'} refused: {_one_line(exc)}") from None


def open_imap(settings: Settings | ImapSettings, token_source: TokenSource | None = None, *,
              ssl_context: ssl.SSLContext | None = None) -> imaplib.IMAP4:
    """Connected, secured and signed in; the caller logs out. ImapError / TokenUnavailable with the reason.

    `settings` is the whole Settings (the `[imap]` section, defaults from `[smtp]`) or a resolved ImapSettings."""
    imap = resolved_imap(settings) if isinstance(settings, Settings) else settings
    client = connect_imap(imap, ssl_context)
    try:
        authenticate_imap(client, imap, token_source)
    except BaseException:
        client.shutdown()
        raise
    return client


def _xoauth2_answers(user: str, token: str) -> Callable[[bytes], bytes]:
    """First the XOAUTH2 response; to the server's error challenge an empty answer, to get its final reply."""
    answers = [xoauth2_bytes(user, token)]

    def answer(_challenge: bytes) -> bytes:
        return answers.pop() if answers else b""

    return answer


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split()) or type(exc).__name__
