"""`open_imap` against a real Dovecot: XOAUTH2 with tokens from MSAL (implicit TLS and STARTTLS), passwords,
and refusals that name the problem."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import ImapSettings, Settings, load_settings
from bulletin_tui.mailbox.imap import ImapError, open_imap, resolved_imap
from bulletin_tui.sending.xoauth2 import AccessToken
from bulletin_tui.services.mailauth.tokens import TokenProvider
from tests.mailserver.dovecot import Dovecot

from .conftest import IMAP_PASSWORD
from .entra import MAILBOX, STAFF, EntraState
from .pki import Pki

Provider = Callable[..., TokenProvider]


def trusting(pki: Pki) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(pki.ca_file))


def imap_to(server: Dovecot, security: str = "tls", **values: Any) -> ImapSettings:
    port = server.imaps_port if security == "tls" else server.imap_port
    return ImapSettings(host=server.host, port=port, security=security, timeout=10,  # type: ignore[arg-type]
                        **{"auth": "oauth2", "username": MAILBOX, **values})


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_xoauth2_with_an_app_token_opens_the_team_mailbox(dovecot: Dovecot, entra: EntraState,
                                                         provider_for: Provider, pki: Pki, security: str) -> None:
    dovecot.deliver(MAILBOX, b"From: a@example.org\r\nSubject: Out of office\r\n\r\nAway.\r\n")
    client = open_imap(imap_to(dovecot, security), provider_for(), ssl_context=trusting(pki))
    try:
        status, data = client.select("INBOX", readonly=True)
        assert (status, data) == ("OK", [b"1"])
    finally:
        client.logout()
    assert dovecot.introspections == [MAILBOX]
    assert "method=XOAUTH2" in dovecot.log()
    written = [path for path in dovecot.root.rglob("*") if path.is_file() and path.suffix != ".pem"]
    for path in written:  # Dovecot's log, index and state files: no token in any of them
        assert not any(token.encode() in path.read_bytes() for token in entra.issued), path


def test_a_delegated_token_signs_in_as_its_own_user(dovecot: Dovecot, entra: EntraState, provider_for: Provider,
                                                    pki: Pki) -> None:
    provider = provider_for(mode="delegated", secret="")
    login = provider.start_device_login()
    entra.authorise(STAFF)
    provider.finish_device_login(login)
    client = open_imap(imap_to(dovecot, username=""), provider, ssl_context=trusting(pki))  # user from the token
    client.logout()
    with pytest.raises(ImapError, match=f"sign-in as {MAILBOX} refused.*AUTHENTICATIONFAILED"):
        open_imap(imap_to(dovecot), provider, ssl_context=trusting(pki))  # a staff token is not the team's


def test_an_expired_or_unknown_token_is_refused(dovecot: Dovecot, pki: Pki) -> None:
    def forged() -> AccessToken:
        return AccessToken("not-a-token-Entra-issued", 2_000_000_000.0)

    with pytest.raises(ImapError, match="refused"):
        open_imap(imap_to(dovecot), forged, ssl_context=trusting(pki))
    assert dovecot.introspections == [""]


def test_password_from_the_environment(dovecot: Dovecot, pki: Pki, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    values = {"HOST": dovecot.host, "PORT": str(dovecot.imaps_port), "AUTH": "password", "USERNAME": STAFF,
              "PASSWORD": IMAP_PASSWORD}
    for key, value in values.items():
        monkeypatch.setenv(f"BULLETIN_IMAP__{key}", value)
    settings = load_settings(tmp_path / "none.toml")  # the settings the CLI and the app load: file, then env
    client = open_imap(settings, ssl_context=trusting(pki))  # the whole Settings: [imap] resolved inside
    client.logout()
    wrong = imap_to(dovecot, auth="password", username=STAFF, password="wrong")
    with pytest.raises(ImapError, match=f"sign-in as {STAFF} refused") as caught:
        open_imap(wrong, ssl_context=trusting(pki))
    assert "wrong" not in str(caught.value)


def test_an_untrusted_certificate_and_plaintext_are_refused(dovecot: Dovecot) -> None:
    with pytest.raises(ImapError, match="CERTIFICATE_VERIFY_FAILED"):
        open_imap(imap_to(dovecot), lambda: AccessToken("x", 0.0), ssl_context=ssl.create_default_context())
    with pytest.raises(ImapError, match="refusing plaintext"):
        open_imap(ImapSettings(host="imap.example.org", security="none"))


def test_imap_defaults_follow_smtp() -> None:
    settings = Settings(smtp={"username": MAILBOX, "auth": "oauth2"},  # type: ignore[arg-type]
                        imap={"host": "outlook.office365.com"})  # type: ignore[arg-type]
    imap = resolved_imap(settings)
    assert (imap.username, imap.auth, imap.port, imap.security) == (MAILBOX, "oauth2", 993, "tls")
