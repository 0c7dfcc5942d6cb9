"""Microsoft 365 (Exchange Online) replies that are about the account, not the recipient: each pauses a campaign.

`explain(code, reply)` gives a one-line explanation and what to do, or None for any other reply. None of these
fails or suppresses a recipient: the same refusal would meet everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SETUP_DOC = "docs/microsoft-365.md"


@dataclass(frozen=True)
class MicrosoftReply:
    """A reply Exchange Online gives, how to recognise it, and what it means for the operator."""

    name: str
    pattern: re.Pattern[str]
    explanation: str


def _rule(name: str, pattern: str, explanation: str) -> MicrosoftReply:
    return MicrosoftReply(name, re.compile(pattern, re.I), explanation)


RULES: tuple[MicrosoftReply, ...] = (
    _rule("basic-auth-refused", r"\b5\.7\.30\b|basic authentication is not supported",
          "Microsoft 365 no longer accepts a password (Basic auth) for SMTP: set [smtp] auth = \"oauth2\" "
          f"and configure [oauth] ({SETUP_DOC})"),
    _rule("smtp-auth-disabled", r"\b5\.7\.139\b|SmtpClientAuthentication is disabled",
          "SMTP AUTH is turned off for the tenant or this mailbox: an Exchange admin must run "
          "Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false"),
    _rule("send-as-denied", r"\b5\.2\.252\b|\b5\.7\.60\b|SendAsDenied",
          "the signed-in account or app may not send as the From address: grant it Send As on the team "
          "mailbox (Add-RecipientPermission) or make sender.from_address the mailbox you sign in as"),
    _rule("quota", r"\b4\.3\.2\b.*(?:STOREDRV|limit)|MessageRateLimitExceeded|RecipientRateLimitExceeded"
                   r"|SubmissionQuotaExceeded|\b5\.2\.2\b.*(?:quota|submission)",
          "Microsoft's sending quota for this mailbox is used up: wait for the quota window to pass "
          "(up to 24 hours), then resume; consider lowering limits.rate_per_minute / rate_per_day"),
    _rule("bad-credentials", r"\b5\.7\.3\b",
          "Microsoft refused the sign-in: check smtp.username (the mailbox), [oauth] tenant and client_id, "
          "and that the app's service principal has FullAccess on the mailbox (New-ServicePrincipal, "
          f"Add-MailboxPermission; {SETUP_DOC})"),
)


def match(code: int, reply: str) -> MicrosoftReply | None:
    """The rule this reply matches (only 4xx/5xx replies), or None."""
    if code < 400:
        return None
    return next((rule for rule in RULES if rule.pattern.search(reply)), None)


def explain(code: int, reply: str) -> str | None:
    """A one-line explanation of a Microsoft account-level refusal, or None."""
    rule = match(code, reply)
    return rule.explanation if rule else None
