"""Microsoft 365 as it is (#23 item 3): `[smtp] provider = "microsoft365"` fills host, port, STARTTLS, OAuth2 and
the limits where nothing was set (explicit settings win), `mail check` shows the values a send uses, a sender on
*.onmicrosoft.com is refused in one line, and `mail check` asks the token endpoint afresh: a cached token no
longer hides a mistyped or rotated client secret."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings, load_settings
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.sending.xoauth2 import TokenUnavailable
from bulletin_tui.services.mailauth.tokens import TokenProvider
from bulletin_tui.services.mailcheck.check import check_mail
from tests.conftest import CliRun

from .entra import MAILBOX, STAFF, EntraState

MICROSOFT_SMTP = {"host": "smtp.office365.com", "port": 587, "security": "starttls", "auth": "oauth2"}
MICROSOFT_LIMITS = {"rate_per_minute": 25, "rate_per_day": 9_000, "max_connections": 3}
ONMICROSOFT = "kcst@kentcst.onmicrosoft.com"


def smtp_and_limits(settings: Settings) -> tuple[dict[str, Any], dict[str, Any]]:
    smtp, limits = settings.smtp.model_dump(), settings.limits.model_dump()
    return {k: smtp[k] for k in MICROSOFT_SMTP}, {k: limits[k] for k in MICROSOFT_LIMITS}


def test_the_provider_fills_what_is_not_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_SMTP__PROVIDER", "microsoft365")
    assert smtp_and_limits(load_settings(tmp_path / "none.toml")) == (MICROSOFT_SMTP, MICROSOFT_LIMITS)
    assert Settings().limits.max_connections == 0 and Settings().smtp.auth == "password"  # no provider, no preset


def test_explicit_settings_win_from_the_file_and_the_environment(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nprovider = "microsoft365"\nport = 2587\n[limits]\nrate_per_minute = 20\n'
                      "max_connections = 2\n", encoding="utf-8")
    monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_DAY", "5000")
    smtp, limits = smtp_and_limits(load_settings(config))
    assert smtp == {**MICROSOFT_SMTP, "port": 2587}
    assert limits == {"rate_per_minute": 20, "rate_per_day": 5000, "max_connections": 2}
    assert load_settings(config, limits={"rate_per_minute": 0}).limits.rate_per_minute == 0  # 0 = no limit, kept


@pytest.mark.parametrize(("values", "message"), [
    ({"smtp": {"provider": "gmail"}}, "smtp.provider"),
    ({"limits": {"max_connections": -1}}, "limits.max_connections"),
    ({"smtp": {"provider": "microsoft365"}, "limits": {"concurrency": 4}},
     "limits.concurrency (4) is more than limits.max_connections (3)"),
])
def test_bad_values_are_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        values: dict[str, Any], message: str) -> None:
    for section, settings in values.items():
        for key, value in settings.items():
            monkeypatch.setenv(f"BULLETIN_{section.upper()}__{key.upper()}", str(value))
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(tmp_path / "none.toml")


@pytest.mark.parametrize("where", ["[sender]\nfrom_address", "[smtp]\nusername"])
def test_a_sender_on_onmicrosoft_com_is_refused_in_one_line_by_a_real_process(tmp_path: Path, where: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'{where} = "{ONMICROSOFT}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETIN_")}
    result = subprocess.run([sys.executable, "-m", "bulletin_tui", "--config", str(config), "--data-dir",
                             str(tmp_path / "data"), "mail", "check"], capture_output=True, text=True, timeout=60,
                            env={**env, "BULLETIN_SMTP__PROVIDER": "microsoft365"})
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert f"{where.split(chr(10))[0].strip('[]')}." in result.stderr and ONMICROSOFT in result.stderr
    assert "100 external recipients a day" in result.stderr and "council's own domain" in result.stderr
    assert Settings(sender={"from_address": ONMICROSOFT}).smtp.host == ""  # outbox only: nothing leaves, allowed


def test_mail_check_shows_the_values_a_send_uses(configured: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BULLETIN_SMTP__AUTH")  # the provider gives oauth2; host and port stay the stand-in's
    monkeypatch.setenv("BULLETIN_SMTP__PROVIDER", "microsoft365")
    report = json.loads(configured("mail", "check", "--json"))
    assert report["ok"] is True and report["settings"]["auth"] == "oauth2"
    assert report["settings"]["host"] == "127.0.0.1" and report["settings"]["provider"] == "microsoft365"
    assert {k: report["settings"][k] for k in MICROSOFT_LIMITS} == MICROSOFT_LIMITS
    text = configured("mail", "check")
    assert "· settings (provider microsoft365): 127.0.0.1:" in text
    assert f"starttls, oauth2 as {MAILBOX}; 25 a minute, 9,000 per 24 hours, at most 3 connections at once" in text


def test_mail_check_shows_microsofts_host_when_only_the_provider_is_set(
        cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:  # no test may reach the real Microsoft
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests are offline)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    monkeypatch.setenv("BULLETIN_SMTP__PROVIDER", "microsoft365")
    out = cli("mail", "check", code=1)
    assert "· settings (provider microsoft365): smtp.office365.com:587 starttls, oauth2;" in out
    assert "✗ smtp resolve: smtp.office365.com" in out


def test_mail_check_finds_a_rotated_secret_that_the_cached_token_hides(
        configured: CliRun, entra: EntraState, provider_for: Callable[..., TokenProvider],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cached = provider_for()()  # a send earlier today: a token in the cache file, good for an hour
    assert "✓ smtp token" in configured("mail", "check")
    entra.secret = "Kx8Q~the-secret-rotated-in-entra-0000000000"  # the admin rotated it; ours is now wrong
    assert provider_for()().token == cached.token  # the cache alone would still say "fine"...
    settings = load_settings(configured.data_dir / "none.toml", data_dir=configured.data_dir)
    before = asyncio.run(check_mail(settings, token_source=provider_for()))
    assert before.ok  # ...which is what `mail check` reported before it asked afresh
    grants = entra.grants.count("client_credentials")
    out = configured("mail", "check", code=1)
    assert "✗ smtp token: Microsoft sign-in refused: AADSTS7000215: Invalid client secret provided." in out
    assert "Fix:" in out and "smtp connect" not in out and entra.grants.count("client_credentials") == grants + 1
    assert provider_for()().token == cached.token  # the check neither used nor replaced the cached token


def test_a_fresh_delegated_token_redeems_the_refresh_token(entra: EntraState,
                                                           provider_for: Callable[..., TokenProvider]) -> None:
    provider = provider_for(mode="delegated", secret="")
    login = provider.start_device_login()
    entra.authorise(STAFF)
    provider.finish_device_login(login)
    cached = provider()
    fresh = provider.fresh()
    assert fresh.token != cached.token and entra.grants[-1] == "refresh_token" and entra.validate(fresh.token, STAFF)
    entra.refresh_tokens.clear()  # the sign-in was revoked (password reset, admin): the cached token still works
    assert provider().token == fresh.token
    with pytest.raises(TokenUnavailable, match="AADSTS70008"):
        provider.fresh()
