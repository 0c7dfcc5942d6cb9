"""Fixtures for OAuth2: a test CA, the Entra ID stand-in (trusted through REQUESTS_CA_BUNDLE), settings for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import OAuthSettings, Settings
from bulletin_tui.services.mailauth.cache import cache_path
from bulletin_tui.services.mailauth.tokens import TokenProvider
from tests.conftest import IN_CI, CliRun
from tests.mailserver.dovecot import Dovecot, dovecot_binary, running_dovecot
from tests.sending.smtp_server import RunningServer, threaded_server
from tests.sending.tls import server_context

from .entra import CLIENT_ID, MAILBOX, SECRET, STAFF, TENANT, EntraState, running_entra
from .pki import Pki, make_pki
from .xoauth2_smtp import XOAuth2Handler

IMAP_PASSWORD = "imap-Pa55word-for-tests"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def entra(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> Iterator[EntraState]:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_file))
    with running_entra(pki) as state:
        yield state


@pytest.fixture
def oauth_for(entra: EntraState) -> Callable[..., OAuthSettings]:
    def build(**changes: Any) -> OAuthSettings:
        values: dict[str, Any] = {"tenant": TENANT, "client_id": CLIENT_ID, "authority": entra.base, "mode": "app",
                                  **changes}
        return OAuthSettings(**values)

    return build


@pytest.fixture
def provider_for(oauth_for: Callable[..., OAuthSettings], tmp_path: Path) -> Callable[..., TokenProvider]:
    """A real MSAL-backed provider against the stand-in; its cache in tmp_path/data."""

    def build(*, secret: str = SECRET, username: str = "", **changes: Any) -> TokenProvider:
        return TokenProvider(oauth_for(**changes), cache_path(tmp_path / "data"), secret=secret, username=username)

    return build


@pytest.fixture
def oauth_settings(oauth_for: Callable[..., OAuthSettings], tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", oauth=oauth_for(),
                    smtp={"host": "127.0.0.1", "auth": "oauth2", "username": MAILBOX})  # type: ignore[arg-type]


@pytest.fixture
def dovecot(entra: EntraState, pki: Pki) -> Iterator[Dovecot]:
    """Dovecot accepting XOAUTH2 tokens the Entra stand-in issued (and a password for the staff account)."""
    if dovecot_binary() is None:
        if IN_CI:
            pytest.fail("dovecot is not installed (scripts/test-deps.sh installs dovecot-imapd)")
        pytest.skip("dovecot is not installed")
    with running_dovecot(entra.user_of, cert=pki.server_cert, key=pki.server_key,
                         passwords={STAFF: IMAP_PASSWORD}) as server:
        yield server


@pytest.fixture
def smtp_server(entra: EntraState, pki: Pki) -> Iterator[RunningServer]:
    with threaded_server(handler=XOAuth2Handler(entra), require_starttls=True,
                         tls_context=server_context(pki.server_cert, pki.server_key)) as server:
        yield server


@pytest.fixture
def configured(entra: EntraState, pki: Pki, smtp_server: RunningServer, monkeypatch: pytest.MonkeyPatch,
               cli: CliRun) -> CliRun:
    """Settings as an admin would give them, through BULLETIN_* variables; the test CA trusted system-wide."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    env = {"SMTP__HOST": "127.0.0.1", "SMTP__PORT": smtp_server.port, "SMTP__AUTH": "oauth2",
           "SMTP__USERNAME": MAILBOX, "OAUTH__TENANT": TENANT, "OAUTH__CLIENT_ID": CLIENT_ID,
           "OAUTH__AUTHORITY": entra.base, "OAUTH__CLIENT_SECRET": SECRET}
    for key, value in env.items():
        monkeypatch.setenv(f"BULLETIN_{key}", str(value))
    return cli
