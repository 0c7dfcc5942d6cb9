"""The MSAL token provider against a local HTTPS stand-in for Entra ID: both modes, refresh, and refusals."""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jwt
import pytest

from bulletin_tui.sending.xoauth2 import TokenUnavailable
from bulletin_tui.services.mailauth.tokens import TokenProvider

from .entra import CLIENT_ID, MAILBOX, SECRET, STAFF, EntraState, _error
from .pki import Pki

Provider = Callable[..., TokenProvider]


def test_app_mode_with_a_secret_gets_a_token_the_mailbox_accepts(entra: EntraState, provider_for: Provider,
                                                                   tmp_path: Path) -> None:
    token = provider_for()()
    assert entra.validate(token.token, MAILBOX) and not entra.validate(token.token, "someone@else.example")
    assert entra.grants == ["client_credentials"]
    assert token.expires_at > time.time() + 3000
    cache = tmp_path / "data" / "oauth-token-cache.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert provider_for()().token == token.token  # a second process reads the cache file: no new request
    assert entra.grants == ["client_credentials"]


def test_app_mode_with_a_certificate_signs_a_client_assertion(entra: EntraState, provider_for: Provider,
                                                                pki: Pki) -> None:
    provider = provider_for(secret="", certificate_path=pki.app_pem, certificate_thumbprint=pki.app_thumbprint_sha1)
    token = provider()
    assert entra.validate(token.token, MAILBOX)
    [assertion] = entra.assertions  # the stand-in verified its signature with the app certificate's public key
    assert assertion["claims"]["iss"] == assertion["claims"]["sub"] == CLIENT_ID
    assert assertion["claims"]["aud"] == entra.token_endpoint()
    assert assertion["header"]["alg"] == "RS256"


def test_a_certificate_without_thumbprint_uses_the_certificate_in_the_pem(entra: EntraState, provider_for: Provider,
                                                                          pki: Pki) -> None:
    token = provider_for(secret="", certificate_path=pki.app_pem)()
    assert entra.validate(token.token, MAILBOX)
    [assertion] = entra.assertions
    assert assertion["header"]["alg"] == "PS256" and "x5t#S256" in assertion["header"]


def test_a_certificate_entra_does_not_know_is_refused_with_its_code(entra: EntraState, provider_for: Provider,
                                                                      pki: Pki, tmp_path: Path) -> None:
    from .pki import make_pki

    other = make_pki(tmp_path / "other")
    with pytest.raises(TokenUnavailable, match="AADSTS700027.*certificate"):
        provider_for(secret="", certificate_path=other.app_pem)()


def test_refresh_before_expiry(entra: EntraState, provider_for: Provider) -> None:
    entra.lifetime = 302  # MSAL treats a token with under five minutes left as expired: this one for 2 s
    provider = provider_for()
    first = provider()
    assert provider().token == first.token and entra.grants == ["client_credentials"]
    time.sleep(2.2)
    second = provider()
    assert second.token != first.token and entra.validate(first.token, MAILBOX)  # renewed while still valid
    assert entra.grants == ["client_credentials"] * 2


def test_device_code_sign_in_then_silent_refresh(entra: EntraState, provider_for: Provider) -> None:
    provider = provider_for(mode="delegated", secret="")
    with pytest.raises(TokenUnavailable, match="mail login"):
        provider()
    login = provider.start_device_login()
    assert login.user_code == "KCST-2026" and login.verification_uri.endswith("/devicelogin")
    assert 800 < login.seconds_left() <= 900
    timer = threading.Timer(1.5, entra.authorise, args=(STAFF,))
    timer.start()
    assert provider.finish_device_login(login) == STAFF
    device_grant = "urn:ietf:params:oauth:grant-type:device_code"
    assert entra.grants.count(device_grant) >= 2  # pending at least once, then authorised
    fresh = provider_for(mode="delegated", secret="")  # a later run: only the cache file
    token = fresh()
    assert token.username == STAFF and entra.validate(token.token, STAFF)
    assert jwt.decode(token.token, options={"verify_signature": False})["upn"] == STAFF
    assert "refresh_token" not in entra.grants  # the cached token is good for an hour: no request
    fresh.logout()
    with pytest.raises(TokenUnavailable, match="mail login"):
        provider_for(mode="delegated", secret="")()


def test_delegated_token_is_refreshed_with_the_refresh_token(entra: EntraState, provider_for: Provider) -> None:
    entra.lifetime = 302
    provider = provider_for(mode="delegated", secret="")
    login = provider.start_device_login()
    entra.authorise(STAFF)
    provider.finish_device_login(login)
    time.sleep(2.2)
    token = provider()
    assert entra.grants[-1] == "refresh_token" and entra.validate(token.token, STAFF)


def test_cancelling_the_device_login_stops_waiting(entra: EntraState, provider_for: Provider) -> None:
    provider = provider_for(mode="delegated", secret="")
    login = provider.start_device_login()
    threading.Timer(0.5, login.cancel).start()
    started = time.monotonic()
    with pytest.raises(TokenUnavailable, match="cancelled"):
        provider.finish_device_login(login)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("code", "error", "text", "hint"), [
    (7000222, "invalid_client", "The provided client secret keys for app are expired.", "has expired"),
    (65001, "invalid_grant", "The user or administrator has not consented to use the application.",
     "admin consent"),
])
def test_token_endpoint_refusals_show_code_and_message_never_the_secret(
        entra: EntraState, provider_for: Provider, code: int, error: str, text: str, hint: str) -> None:
    entra.errors.append(_error(error, code, text + f" (echo {SECRET})"))
    with pytest.raises(TokenUnavailable) as caught:
        provider_for()()
    message = str(caught.value)
    assert f"AADSTS{code}" in message and text in message and hint in message and error in message
    assert SECRET not in message and SECRET not in repr(caught.value) and "Trace ID" not in message


def test_a_wrong_secret_and_a_wrong_tenant_are_named(entra: EntraState, provider_for: Provider) -> None:
    with pytest.raises(TokenUnavailable, match="AADSTS7000215.*Value"):
        provider_for(secret="wrong")()
    with pytest.raises(TokenUnavailable, match="oauth: https://127.0.0.1:.*/no-such-tenant"):
        provider_for(tenant="no-such-tenant")()


def test_app_mode_without_any_credential_says_where_to_put_one(entra: EntraState, provider_for: Provider) -> None:
    with pytest.raises(TokenUnavailable, match="BULLETIN_OAUTH__CLIENT_SECRET"):
        provider_for(secret="")()


def test_an_unreachable_authority_is_named(provider_for: Provider) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(TokenUnavailable, match=f"oauth: https://127.0.0.1:{closed}/"):
        provider_for(authority=f"https://127.0.0.1:{closed}")()
