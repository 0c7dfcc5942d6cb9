"""`mail check`: every step of reaching the mailbox (SMTP and IMAP), each with ✓/✗, and the fix for a failure.

Nothing is sent and nothing is changed (an IMAP folder is selected read-only). Secrets never appear in a step.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import Any

from ...config import Settings
from ...sending.xoauth2 import TokenSource
from .check_imap import imap_steps
from .check_smtp import smtp_steps
from .steps import CheckStep, MailCheck, StepRecorder

BASIC_AUTH_WARNING = (
    "Microsoft is withdrawing Basic authentication (password sign-in) for SMTP AUTH: it is disabled by default "
    "from the end of December 2026, after which a password gets 550 5.7.30. Switch to [smtp] auth = \"oauth2\" "
    "(see docs/microsoft-365.md)."
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
    make_token_source: Callable[[], TokenSource] | None = None, tls_context: ssl.SSLContext | None = None,
) -> MailCheck:
    """Check SMTP (if a host is set) and IMAP (if a host is set) without sending anything."""
    report = MailCheck(warnings=warnings_for(settings))
    if token_source is None and make_token_source is not None:
        token_source = _lazy(make_token_source)
    if settings.smtp.host:
        await smtp_steps(settings.smtp, StepRecorder("smtp", report), token_source, tls_context)
    else:
        report.steps.append(CheckStep("smtp", "settings", True, "no SMTP host: messages go to the outbox folder"))
    if settings.imap.host:
        await asyncio.to_thread(imap_steps, settings, StepRecorder("imap", report), token_source, tls_context)
    return report


def _lazy(make: Callable[[], TokenSource]) -> TokenSource:
    """Build the provider on first use, so a settings error is reported as the token step's failure."""
    built: list[TokenSource] = []

    def source() -> Any:
        if not built:
            built.append(make())
        return built[0]()

    return source
