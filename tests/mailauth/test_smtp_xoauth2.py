"""XOAUTH2 on SMTP through the real transport, MSAL and the Entra stand-in: token expiry mid-campaign, refusals,
and each Microsoft 365 account-level reply pausing the run with its explanation while failing nobody."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.ledger import State
from bulletin_tui.sending.progress import Recipient, RunStatus
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.mailauth.tokens import TokenProvider
from tests.sending.helpers import campaign, new_ledger, people, states_of
from tests.sending.smtp_server import RunningServer, running_server
from tests.sending.tls import server_context

from .entra import MAILBOX, EntraState
from .pki import Pki
from .xoauth2_smtp import XOAuth2Handler

Provider = Callable[..., TokenProvider]


@asynccontextmanager
async def xoauth2_server(entra: EntraState, pki: Pki, **options: Any) -> AsyncIterator[RunningServer]:
    handler = XOAuth2Handler(entra, **options)
    async with running_server(tls_context=server_context(pki.server_cert, pki.server_key), require_starttls=True,
                              handler=handler) as server:
        yield server


def oauth_transport(port: int, pki: Pki, token_source: Any, *, concurrency: int = 2, margin: float = 60.0,
                    username: str = MAILBOX) -> SmtpTransport:
    settings = SmtpSettings(host="127.0.0.1", port=port, security="starttls", auth="oauth2", username=username,
                            timeout=5)
    return SmtpTransport(settings, concurrency=concurrency, tls_context=ssl.create_default_context(
        cafile=str(pki.ca_file)), token_source=token_source, expiry_margin=margin)


def handler_of(server: RunningServer) -> XOAuth2Handler:
    assert isinstance(server.handler, XOAuth2Handler)
    return server.handler


async def test_a_campaign_that_outlives_its_tokens_keeps_going(entra: EntraState, pki: Pki, provider_for: Provider,
                                                                tmp_path: Path) -> None:
    entra.lifetime = 2  # each token is good for two seconds; the run takes about four
    async with xoauth2_server(entra, pki) as server:
        server.script.end_delay = 0.25
        ledger = new_ledger(tmp_path / "c.jsonl", people(30))
        run = campaign(ledger, server.port, transport=oauth_transport(server.port, pki, provider_for(), margin=0.5))
        try:
            result = await run.run()
        finally:
            await run.close()
    auth = handler_of(server).auth
    assert result.status is RunStatus.COMPLETE, result.reason
    assert set(states_of(tmp_path / "c.jsonl").values()) == {State.SENT} and len(server.messages) == 30
    assert len(set(auth.tokens)) >= 3 and auth.refused == 0 and auth.expired_uses == 0
    assert entra.grants.count("client_credentials") >= 3


@pytest.mark.parametrize("error_challenge", [False, True])
async def test_a_token_for_another_mailbox_is_refused_and_pauses(entra: EntraState, pki: Pki,
                                                                 provider_for: Provider, tmp_path: Path,
                                                                 error_challenge: bool) -> None:
    async with xoauth2_server(entra, pki, error_challenge=error_challenge) as server:
        ledger = new_ledger(tmp_path / "c.jsonl", people(3))
        transport = oauth_transport(server.port, pki, provider_for(), username="someone.else@kent.gov.uk")
        run = campaign(ledger, server.port, transport=transport)
        try:
            result = await run.run()
        finally:
            await run.close()
    assert result.status is RunStatus.PAUSED and result.exit_code == 4
    assert "535 5.7.3" in result.reason and "Add-MailboxPermission" in result.reason
    assert State.FAILED not in states_of(tmp_path / "c.jsonl").values() and server.messages == []


MICROSOFT_REPLIES = [
    ("auth", "535 5.7.3 Authentication unsuccessful [LO2P265CA0001.GBRP265.PROD.OUTLOOK.COM]", "FullAccess"),
    ("auth", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
     "SmtpClientAuthenticationDisabled"),
    ("auth", "550 5.7.30 Basic authentication is not supported for Client Submission.", "auth = \"oauth2\""),
    ("end", "554 5.2.252 SendAsDenied; kentcommunitysafetyteam@kent.gov.uk not allowed to send as x@kent.gov.uk",
     "Send As"),
    ("end", "550 5.7.60 SMTP; Client does not have permissions to send as this sender", "Send As"),
    ("mail", "554 5.2.2 mailbox full; STOREDRV.Submission.Exception:SubmissionQuotaExceededException", "quota"),
    # 4.3.2 "sender thread limit exceeded" (too many connections) is retried, not paused: test_microsoft_limits.py
    ("end", "554 5.2.0 STOREDRV.Submission.Exception:MessageRateLimitExceededException", "quota"),
    ("end", "550 5.2.0 RecipientRateLimitExceeded; too many recipients today", "quota"),
]


@pytest.mark.parametrize(("where", "reply", "explained"), MICROSOFT_REPLIES)
async def test_each_microsoft_reply_pauses_with_its_explanation_and_fails_nobody(
        entra: EntraState, pki: Pki, provider_for: Provider, tmp_path: Path, where: str, reply: str,
        explained: str) -> None:
    bounced: list[Recipient] = []
    async with xoauth2_server(entra, pki) as server:
        first = people(1)[0].email
        if where == "auth":
            handler_of(server).auth_replies.append(reply)
        elif where == "mail":
            server.script.mail[0] = reply
        else:
            getattr(server.script, where)[first] = [reply]
        ledger = new_ledger(tmp_path / "c.jsonl", people(4))
        run = campaign(ledger, server.port, transport=oauth_transport(server.port, pki, provider_for(), concurrency=1),
                       options={"concurrency": 1}, on_hard_bounce=lambda person, _: bounced.append(person))
        try:
            result = await run.run()
        finally:
            await run.close()
    assert result.status is RunStatus.PAUSED and result.exit_code == 4
    assert reply.split(";")[0] in result.reason and explained in result.reason
    states = states_of(tmp_path / "c.jsonl")
    assert State.FAILED not in states.values() and bounced == []
    assert states[first] is State.DEFERRED  # kept for the resume, not failed, not suppressed
