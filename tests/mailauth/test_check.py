"""`bulletin-tui mail check [--json]` end to end: MSAL + Entra stand-in, aiosmtpd with XOAUTH2, Dovecot."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.rendering.footer import PRIVACY_NOTICE_MISSING
from bulletin_tui.services.mailcheck.check import BASIC_AUTH_WARNING, warnings_for
from tests.conftest import CliRun
from tests.mailserver.dovecot import Dovecot
from tests.sending.smtp_server import RunningServer

from .entra import MAILBOX, SECRET, EntraState, _error
from .xoauth2_smtp import XOAuth2Handler


def with_imap(monkeypatch: pytest.MonkeyPatch, server: Dovecot) -> None:
    monkeypatch.setenv("BULLETIN_IMAP__HOST", server.host)
    monkeypatch.setenv("BULLETIN_IMAP__PORT", str(server.imaps_port))


def steps_of(output: str) -> list[tuple[str, str, bool]]:
    return [(s["service"], s["step"], s["ok"]) for s in json.loads(output)["steps"]]


def test_every_step_passes_and_nothing_is_sent(configured: CliRun, dovecot: Dovecot, smtp_server: RunningServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with_imap(monkeypatch, dovecot)
    out = configured("mail", "check", "--json")
    assert steps_of(out) == [("smtp", s, True) for s in ("resolve", "token", "connect", "starttls", "auth")] + [
        ("imap", s, True) for s in ("resolve", "token", "connect", "auth", "select")]
    assert json.loads(out)["ok"] is True and smtp_server.messages == []
    assert SECRET not in out and not any(token in out for token in XOAuth2Handler.tokens_seen(smtp_server))
    text = configured("mail", "check")
    assert "✓ smtp auth: signed in as kentcommunitysafetyteam@kent.gov.uk (XOAUTH2)" in text
    assert "✓ imap select: INBOX: 0 messages (read-only)" in text
    out = configured("mailings", "test-connection")  # the older SMTP-only check signs in the same way
    assert f"(STARTTLS, signed in as {MAILBOX} with OAuth2)" in out and smtp_server.messages == []


def test_missing_consent_is_the_first_failure_with_its_fix(configured: CliRun, entra: EntraState) -> None:
    entra.errors.append(_error("invalid_grant", 65001, "The user or administrator has not consented."))
    out = configured("mail", "check", code=1)
    assert "✗ smtp token: Microsoft sign-in refused: AADSTS65001: The user or administrator has not consented." in out
    assert "Fix: admin consent is missing" in out and SECRET not in out
    assert "smtp connect" not in out  # later steps are not tried once one fails


def test_smtp_auth_disabled_for_the_mailbox_is_explained(configured: CliRun, smtp_server: RunningServer) -> None:
    handler = smtp_server.handler
    assert isinstance(handler, XOAuth2Handler)
    handler.auth_replies.append("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                                "for the Mailbox.")
    out = configured("mail", "check", code=1)
    assert "✗ smtp auth: 535 5.7.139" in out and "Fix: SMTP AUTH is turned off" in out
    assert "Set-CASMailbox" in out


def test_a_password_login_to_office365_warns_of_the_basic_auth_withdrawal(
        cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:  # no test may reach the real Microsoft
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests are offline)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    monkeypatch.setenv("BULLETIN_SMTP__HOST", "smtp.office365.com")
    monkeypatch.setenv("BULLETIN_SMTP__USERNAME", MAILBOX)
    monkeypatch.setenv("BULLETIN_SMTP__PASSWORD", "p4ssw0rd-basic")
    out = cli("mail", "check", "--json", code=1)  # the name does not resolve offline: that step fails
    report = json.loads(out)
    assert report["warnings"] == [BASIC_AUTH_WARNING, PRIVACY_NOTICE_MISSING] and "December 2026" in BASIC_AUTH_WARNING
    assert steps_of(out) == [("smtp", "resolve", False)] and "p4ssw0rd-basic" not in out


def test_the_warning_is_only_for_password_logins_to_microsoft(tmp_path: Path) -> None:
    def settings(**smtp: str) -> Settings:
        return Settings(data_dir=tmp_path, smtp={"username": MAILBOX, **smtp})  # type: ignore[arg-type]

    assert warnings_for(settings(host="smtp.office365.com")) == [BASIC_AUTH_WARNING]
    assert warnings_for(settings(host="smtp.office365.com", auth="oauth2")) == []
    assert warnings_for(settings(host="mail.example.org")) == []
