"""`mail check`: every step of reaching the mailbox (SMTP and IMAP), each with ✓/✗, and the fix for a failure.

Nothing is sent and nothing is changed (an IMAP folder is selected read-only). Secrets never appear in a step.
The token is asked of the token endpoint afresh, never taken from MSAL's cache: a cached token would hide a
mistyped or rotated client secret for up to an hour. `effective_settings` shows what a send will use once
`smtp.provider` has filled what was not set.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...config import Settings
from ...rendering.footer import privacy_notice_warnings
from ...sending.xoauth2 import AccessToken, TokenSource
from ..mailauth.steps import CheckStep, MailCheck, StepRecorder
from .check_imap import imap_steps
from .check_smtp import smtp_steps

if TYPE_CHECKING:  # importing tokens imports MSAL: only when a check runs
    from ..mailauth.tokens import TokenProvider

BASIC_AUTH_WARNING = (
    "Microsoft is withdrawing Basic authentication (password sign-in) for SMTP AUTH: it is disabled by default "
    "for existing tenants from the end of December 2026 (an admin can re-enable it until the final removal, to be "
    "announced in the second half of 2027), after which a password gets 550 5.7.30. Switch to [smtp] auth = "
    "\"oauth2\" or provider = \"microsoft365\" (see docs/microsoft-365.md)."
)
MICROSOFT_HOSTS = ("smtp.office365.com", "outlook.office365.com", "smtp-legacy.office365.com")


def warnings_for(settings: Settings) -> list[str]:
    """A password login to Microsoft 365 gets the Basic-auth withdrawal warning."""
    host = settings.smtp.host.lower()
    if settings.smtp.auth == "password" and settings.smtp.username and host in MICROSOFT_HOSTS:
        return [BASIC_AUTH_WARNING]
    return []


async def check_mail(
    settings: Settings, *, token_source: TokenSource | None = None,
    make_token_source: Callable[[], TokenProvider] | None = None, tls_context: ssl.SSLContext | None = None,
) -> MailCheck:
    """Check SMTP (if a host is set) and IMAP (if a host is set) without sending anything; a provider from
    `make_token_source` is asked for one fresh token, which both services use."""
    report = MailCheck(warnings=[*warnings_for(settings), *privacy_notice_warnings(settings.sender)])
    if token_source is None and make_token_source is not None:
        token_source = _lazy(make_token_source)
    if settings.smtp.host:
        await smtp_steps(settings.smtp, StepRecorder("smtp", report), token_source, tls_context)
    else:
        report.steps.append(CheckStep("smtp", "settings", True, "no SMTP host: messages go to the outbox folder"))
    if settings.imap.host:
        await asyncio.to_thread(imap_steps, settings, StepRecorder("imap", report), token_source, tls_context)
    return report


def _lazy(make: Callable[[], TokenProvider]) -> TokenSource:
    """Build the provider on first use, so a settings error is reported as the token step's failure; get one
    fresh token from the token endpoint and hand it to every step that asks."""
    fetched: list[AccessToken] = []

    def source() -> AccessToken:
        if not fetched:
            fetched.append(make().fresh())
        return fetched[0]

    return source


def effective_settings(settings: Settings) -> dict[str, Any]:
    """The server and limits a send uses, after `smtp.provider` filled what was not set explicitly."""
    smtp, limits = settings.smtp, settings.limits
    return {"provider": smtp.provider, "host": smtp.host, "port": smtp.port, "security": smtp.security,
            "auth": smtp.auth, "username": smtp.username, "rate_per_minute": limits.rate_per_minute,
            "rate_per_day": limits.rate_per_day, "max_connections": limits.max_connections,
            "concurrency": limits.concurrency}


def effective_line(settings: Settings) -> str:
    """`effective_settings` as one line for people."""
    shown = effective_settings(settings)
    provider = f" (provider {shown['provider']})" if shown["provider"] else ""
    server = (f"{shown['host']}:{shown['port']} {shown['security']}, {shown['auth']}"
              + (f" as {shown['username']}" if shown["username"] else "")) if shown["host"] else "outbox folder"

    pace = f"{shown['rate_per_minute']:,} a minute" if shown["rate_per_minute"] else "no per-minute limit"
    day = f"{shown['rate_per_day']:,} per 24 hours" if shown["rate_per_day"] else "no daily limit"
    most = shown["max_connections"]
    connections = f"at most {most} connections at once" if most else "no connection limit"
    return f"settings{provider}: {server}; {pace}, {day}, {connections} ({shown['concurrency']} per send)"
