"""The small parts: the SASL string, Microsoft's reply table, settings refusals, the keyring, the cache file."""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from aiosmtplib.auth import auth_xoauth2_encode
from keyring.backend import KeyringBackend

from bulletin_tui.config import OAuthSettings, load_settings
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.sending import microsoft
from bulletin_tui.sending.replies import classify
from bulletin_tui.sending.transport import Outcome
from bulletin_tui.sending.xoauth2 import AccessToken, xoauth2_bytes
from bulletin_tui.services.mailauth.cache import TokenCacheFile, write_private
from bulletin_tui.services.mailauth.certificate import certificate_credential
from bulletin_tui.services.mailauth.secret_store import client_secret, keyring_user, store_client_secret


def test_the_xoauth2_response_matches_an_independent_encoder() -> None:
    user, token = "kentcommunitysafetyteam@kent.gov.uk", "eyJ0eXAiOiJKV1Qi.payload.signature"
    assert base64.b64encode(xoauth2_bytes(user, token)) == auth_xoauth2_encode(user, token)  # IMAP's, as SMTP's
    assert xoauth2_bytes(user, token) == b"user=" + user.encode() + b"\x01auth=Bearer " + token.encode() + b"\x01\x01"


@pytest.mark.parametrize(("user", "token"), [("", "t"), ("a@b", ""), ("a@b\r\nRSET", "t"), ("a@b", "t\x01x")])
def test_the_xoauth2_response_refuses_empty_or_control_characters(user: str, token: str) -> None:
    with pytest.raises(DomainError, match="xoauth2"):
        xoauth2_bytes(user, token)


def test_a_token_never_shows_in_its_repr() -> None:
    token = AccessToken("very-secret-token", 1.0, "a@b")
    assert "very-secret-token" not in repr(token) and token.expired(now=0.0, margin=2.0)


@pytest.mark.parametrize(("stage", "code", "reply", "outcome"), [
    ("rcpt", 552, "5.2.2 mailbox full", Outcome.DEFERRED),  # the recipient's mailbox: not Microsoft's quota
    ("rcpt", 550, "5.1.1 user unknown", Outcome.FAILED),
    ("connect", 421, "4.3.2 busy", Outcome.DEFERRED),
    ("end-of-data", 554, "5.2.252 SendAsDenied; not allowed", Outcome.PAUSE),
    ("end-of-data", 554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", Outcome.PAUSE),
    # 4.3.2 sender thread limit (too many connections) is a deferral now: tests/sending/test_microsoft_limits.py
])
def test_microsoft_replies_pause_and_others_keep_their_meaning(stage: str, code: int, reply: str,
                                                               outcome: Outcome) -> None:
    delivery = classify(stage, code, reply)
    assert delivery.outcome is outcome and delivery.hard_bounce is reply.startswith("5.1.")
    assert ("->" in delivery.reply) is (microsoft.match(code, reply) is not None)


def test_every_microsoft_rule_is_one_line() -> None:
    assert all("\n" not in rule.explanation and len(rule.explanation) < 260 for rule in microsoft.RULES)
    assert microsoft.explain(250, "2.0.0 5.7.30 in a success reply") is None


@pytest.mark.parametrize(("section", "key", "advice"), [
    ("oauth", "client_secret", "BULLETIN_OAUTH__CLIENT_SECRET"), ("imap", "password", "BULLETIN_IMAP__PASSWORD"),
    ("oauth", "refresh_token", "mail login"), ("oauth", "access_token", "token cache"),
])
def test_secrets_and_tokens_in_the_config_file_are_refused(tmp_path: Path, section: str, key: str,
                                                           advice: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[{section}]\n{key} = "oops-value"\n')
    with pytest.raises(DomainError, match=f"{section}.{key} must not be in a file.*{advice}") as caught:
        load_settings(config)
    assert "oops-value" not in str(caught.value)


def test_oauth_settings_from_file_and_secret_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nauth = "oauth2"\n[oauth]\ntenant = "kent.gov.uk"\nclient_id = "abc"\nmode = "app"\n')
    monkeypatch.setenv("BULLETIN_OAUTH__CLIENT_SECRET", "env-secret-value")
    settings = load_settings(config)
    assert (settings.smtp.auth, settings.oauth.tenant) == ("oauth2", "kent.gov.uk")
    assert client_secret(settings.oauth) == "env-secret-value"
    assert "env-secret-value" not in repr(settings) and "env-secret-value" not in settings.model_dump_json()


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps entries in memory (no desktop keyring in tests)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Any:
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_secret_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    oauth = OAuthSettings(tenant="t", client_id="app-1")
    assert client_secret(oauth) == ""
    store_client_secret(oauth, "kept-in-keyring")
    assert memory_keyring.entries == {("bulletin-tui", keyring_user("app-1")): "kept-in-keyring"}
    assert client_secret(oauth) == "kept-in-keyring"
    assert client_secret(OAuthSettings(client_id="app-1", client_secret="from-env")) == "from-env"  # type: ignore


def test_without_the_keyring_package_the_environment_is_the_only_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` now raises ImportError
    oauth = OAuthSettings(client_id="app-1")
    assert client_secret(oauth) == ""
    with pytest.raises(DomainError, match="BULLETIN_OAUTH__CLIENT_SECRET"):
        store_client_secret(oauth, "x")


def test_the_token_cache_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "oauth-token-cache.json"
    write_private(path, b"{}")
    assert oct(path.stat().st_mode & 0o777) == "0o600" and oct(path.parent.stat().st_mode & 0o777) == "0o700"
    os.chmod(path, 0o644)
    with pytest.raises(DomainError, match="readable by others.*chmod 600"):
        TokenCacheFile(path)


def test_a_certificate_file_without_a_key_is_named(tmp_path: Path) -> None:
    pem = tmp_path / "app.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(DomainError, match=f"{pem} has no PEM private key"):
        certificate_credential(pem)
    with pytest.raises(DomainError, match="certificate_path"):
        certificate_credential(tmp_path / "missing.pem")
