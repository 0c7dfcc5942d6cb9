"""The IMAP half of `mail check`: resolve, token, connect (TLS or STARTTLS), sign in, select the folder read-only."""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from collections.abc import Callable

from ...config import Settings
from ...domain.errors import DomainError
from ...mailbox.imap import authenticate_imap, connect_imap, resolved_imap
from ...sending.xoauth2 import TokenSource
from ..mailauth.steps import StepRecorder, resolve, token_step

CONNECT_FIX = "check imap.host, imap.port and imap.security (Microsoft 365: outlook.office365.com, 993, tls)"


def imap_steps(settings: Settings, rec: StepRecorder, token_source: TokenSource | None,
               tls_context: ssl.SSLContext | None) -> None:
    imap = resolved_imap(settings)
    if not resolve(rec, imap.host, imap.port):
        return
    if imap.auth == "oauth2" and token_step(rec, token_source) is None:
        return
    try:
        client = connect_imap(imap, tls_context)
    except DomainError as exc:
        rec.fail("connect", str(exc), CONNECT_FIX)
        return
    secured = "TLS" if imap.security == "tls" else ("STARTTLS" if imap.security == "starttls" else "plaintext")
    rec.ok("connect", f"{imap.host}:{imap.port} ({secured})")
    try:
        _sign_in_and_select(client, imap.folder, rec, lambda: authenticate_imap(client, imap, token_source))
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def _sign_in_and_select(client: imaplib.IMAP4, folder: str, rec: StepRecorder, sign_in: Callable[[], str]) -> None:
    try:
        user = sign_in()
    except DomainError as exc:
        rec.fail("auth", str(exc), "check imap.username and the password or [oauth] settings (IMAP.AccessAsApp / "
                 "IMAP.AccessAsUser.All, mailbox permission)")
        return
    rec.ok("auth", f"signed in as {user}")
    try:
        status, data = client.select(_quoted(folder), readonly=True)
    except (OSError, imaplib.IMAP4.error) as exc:
        rec.fail("select", f"{folder}: {exc}", "check imap.folder")
        return
    if status != "OK":
        rec.fail("select", f"{folder}: {data[0]!r}", "check imap.folder")
        return
    count = data[0].decode() if data and isinstance(data[0], bytes) else "?"
    rec.ok("select", f"{folder}: {count} messages (read-only)")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
