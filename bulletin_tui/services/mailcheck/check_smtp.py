"""The SMTP half of `mail check`: resolve, token, connect, STARTTLS, sign in; then QUIT without sending."""

from __future__ import annotations

import contextlib
import ssl

import aiosmtplib

from ...config import SmtpSettings
from ...domain.errors import DomainError
from ...sending import microsoft
from ...sending.smtp import check_security_policy, sign_in_xoauth2
from ...sending.xoauth2 import AccessToken, TokenSource
from ..mailauth.steps import StepRecorder, resolve, token_step

CONNECT_FIX = "check smtp.host, smtp.port and the firewall (Microsoft 365: smtp.office365.com, 587, starttls)"


async def smtp_steps(smtp: SmtpSettings, rec: StepRecorder, token_source: TokenSource | None,
                     tls_context: ssl.SSLContext | None) -> None:
    try:
        check_security_policy(smtp)
    except DomainError as exc:
        rec.fail("settings", str(exc), "use smtp.security = starttls or tls")
        return
    if not resolve(rec, smtp.host, smtp.port):
        return
    token = token_step(rec, token_source) if smtp.auth == "oauth2" else None
    if rec.failed:
        return
    client = aiosmtplib.SMTP(hostname=smtp.host, port=smtp.port, timeout=smtp.timeout, use_tls=smtp.security == "tls",
                             start_tls=False, validate_certs=True, tls_context=tls_context)
    try:
        reply = await client.connect()
    except (aiosmtplib.SMTPException, OSError) as exc:
        rec.fail("connect", f"{smtp.host}:{smtp.port}: {_one_line(exc)}", CONNECT_FIX)
        return
    rec.ok("connect", f"{smtp.host}:{smtp.port}{_tls_note(client)}: {reply.code} {_first(reply.message)}")
    try:
        await _secure_and_sign_in(client, smtp, rec, token)
    finally:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
            await client.quit()
        client.close()


async def _secure_and_sign_in(client: aiosmtplib.SMTP, smtp: SmtpSettings, rec: StepRecorder,
                              token: AccessToken | None) -> None:
    try:
        await client.ehlo()
        if smtp.security == "starttls":
            if not client.supports_extension("starttls"):
                rec.fail("starttls", f"{smtp.host} does not offer STARTTLS", "use a server that offers STARTTLS")
                return
            await client.starttls()
            rec.ok("starttls", f"secured{_tls_note(client)}")
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        rec.fail("starttls", _one_line(exc), "the server's certificate must be valid for smtp.host")
        return
    await _sign_in(client, smtp, rec, token)


async def _sign_in(client: aiosmtplib.SMTP, smtp: SmtpSettings, rec: StepRecorder, token: AccessToken | None) -> None:
    if token is None and not smtp.username:
        rec.ok("auth", "no sign-in configured (smtp.username is empty)")
        return
    if token is None and client.get_transport_info("sslcontext") is None:
        rec.fail("auth", "refusing to send the password over a connection without TLS", "use starttls or tls")
        return
    try:
        if token is not None:
            await sign_in_xoauth2(client, smtp.username or token.username, token.token)
        else:
            await client.login(smtp.username, smtp.password.get_secret_value())
    except aiosmtplib.SMTPResponseException as exc:
        fix = microsoft.explain(exc.code, exc.message) or "check smtp.username and the password or [oauth] settings"
        rec.fail("auth", f"{exc.code} {_first(exc.message)}", fix)
        return
    except (aiosmtplib.SMTPException, OSError, DomainError) as exc:
        rec.fail("auth", _one_line(exc), "check smtp.username and the server's AUTH mechanisms")
        return
    how = "XOAUTH2" if token is not None else "password"
    rec.ok("auth", f"signed in as {smtp.username or (token.username if token else '')} ({how})")


def _tls_note(client: aiosmtplib.SMTP) -> str:
    ssl_object = client.get_transport_info("ssl_object")
    return f" ({ssl_object.version()})" if ssl_object is not None else ""


def _first(message: str) -> str:
    return " ".join(message.split())[:200]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
