"""`bulletin-tui mail login | logout | store-secret` through the real CLI against the Entra stand-in."""

from __future__ import annotations

import json
import stat
import threading

import pytest

from bulletin_tui.cli import app
from bulletin_tui.services.mailauth.cache import cache_path
from tests.conftest import CliRun

from .entra import CLIENT_ID, STAFF, TENANT, EntraState


@pytest.fixture
def delegated(cli: CliRun, entra: EntraState, monkeypatch: pytest.MonkeyPatch) -> CliRun:
    for key, value in {"MODE": "delegated", "TENANT": TENANT, "CLIENT_ID": CLIENT_ID,
                       "AUTHORITY": entra.base}.items():
        monkeypatch.setenv(f"BULLETIN_OAUTH__{key}", value)
    return cli


def test_login_shows_the_code_waits_for_the_person_then_logout_forgets(delegated: CliRun, entra: EntraState) -> None:
    threading.Timer(1.2, entra.authorise, args=(STAFF,)).start()
    out = delegated("mail", "login")
    assert "open https://127.0.0.1:" in out and "enter the code KCST-2026 (within 15 minutes)" in out
    assert f"Signed in as {STAFF}" in out
    cache = cache_path(delegated.data_dir)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and json.loads(cache.read_text())["RefreshToken"]
    assert "Signed out" in delegated("mail", "logout") and not cache.exists()
    assert "nothing to forget" in delegated("mail", "logout")


def test_login_in_app_mode_says_no_sign_in_is_needed(cli: CliRun, entra: EntraState,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"TENANT": TENANT, "CLIENT_ID": CLIENT_ID, "AUTHORITY": entra.base}.items():
        monkeypatch.setenv(f"BULLETIN_OAUTH__{key}", value)
    result = cli.runner.invoke(app, ["--data-dir", str(cli.data_dir), "mail",
                                                                        "login"])
    assert result.exit_code == 1 and "app mode needs no sign-in" in str(result.exception)


def test_login_without_tenant_names_the_settings(cli: CliRun) -> None:
    result = cli.runner.invoke(app, ["--data-dir", str(cli.data_dir), "mail",
                                                                        "login"])
    assert "set [oauth] tenant and client_id" in str(result.exception)
