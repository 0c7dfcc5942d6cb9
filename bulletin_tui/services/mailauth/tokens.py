"""OAuth2 access tokens for SMTP and IMAP from Microsoft Entra ID, through MSAL.

Two modes (`[oauth] mode`):
- `app`: client credentials (a secret, or a certificate that signs a client assertion), scope
  `https://outlook.office365.com/.default`; for the shared team mailbox.
- `delegated`: a person signs in once with the device-code flow (`mail login`); after that tokens are refreshed
  silently with the refresh token until `mail logout`.
Tokens live only in the private cache file (`cache.py`); MSAL hands out a cached token while it has more than
five minutes left and fetches or refreshes one otherwise. `fresh()` (for `mail check`) always asks the token
endpoint: a cached token would hide a mistyped or rotated client secret, or a revoked sign-in, for up to an hour.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import msal

from ...config import OAuthSettings
from ...domain.errors import DomainError
from ...sending.xoauth2 import AccessToken, TokenUnavailable
from .aadsts import describe_token_error
from .cache import TokenCacheFile
from .certificate import certificate_credential

APP_SCOPES = ["https://outlook.office365.com/.default"]
DELEGATED_SCOPES = ["https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All"]
"""MSAL adds `offline_access` (the refresh token) itself and refuses it in a scope list."""


class TokenProvider:
    """Gives current access tokens for one app registration; callable as a `TokenSource`. Thread-safe."""

    def __init__(self, oauth: OAuthSettings, cache_file: Path, *, secret: str = "", username: str = "",
                 app_scopes: list[str] | None = None) -> None:
        if not (oauth.tenant and oauth.client_id):
            raise DomainError("oauth: set [oauth] tenant and client_id (see docs/microsoft-365.md)")
        self.oauth, self.username = oauth, username
        self.app_scopes = app_scopes or APP_SCOPES
        """What an app-mode token is for: Exchange Online (SMTP, IMAP) by default, or e.g. Microsoft Graph."""
        self._secret = secret
        self._cache = TokenCacheFile(cache_file)
        self._lock = threading.Lock()
        self._application: msal.ClientApplication | None = None

    @property
    def authority(self) -> str:
        return f"{self.oauth.authority.rstrip('/')}/{self.oauth.tenant}"

    def __call__(self) -> AccessToken:
        """A current token (cached, refreshed or new); TokenUnavailable with Microsoft's reason otherwise."""
        return self._get(fresh=False)

    def fresh(self) -> AccessToken:
        """A token the token endpoint gives now, whatever is cached: app mode asks with a throwaway, empty cache
        (MSAL's `acquire_token_for_client` refuses `force_refresh`), delegated mode redeems the refresh token."""
        return self._get(fresh=True)

    def _get(self, *, fresh: bool) -> AccessToken:
        with self._lock:
            app = self._app()
            try:
                result, username = self._acquire(app, fresh=fresh)
            except OSError as exc:  # Entra ID unreachable (requests' errors are OSErrors): pause, say where
                raise TokenUnavailable(f"oauth: {self.authority}: {_one_line(exc, self._secret)}") from None
            self._cache.save()
        return self._token(result, username)

    def _acquire(self, app: msal.ClientApplication, *, fresh: bool) -> tuple[dict[str, Any], str]:
        """MSAL's result (cached, refreshed or new token, or an error) and the account's username."""
        if self.oauth.mode == "app":
            client = self._create(msal.TokenCache()) if fresh else app
            return client.acquire_token_for_client(scopes=self.app_scopes), ""
        account = self._account(app)
        result = app.acquire_token_silent_with_error(DELEGATED_SCOPES, account=account, force_refresh=fresh)
        if result is None:
            raise TokenUnavailable("Microsoft sign-in has expired: run bulletin-tui mail login")
        return result, account.get("username", "")

    def _token(self, result: dict[str, Any], username: str) -> AccessToken:
        if "access_token" not in result:
            raise TokenUnavailable(describe_token_error(result, self._secret))
        return AccessToken(result["access_token"], time.time() + float(result.get("expires_in", 0)), username)

    def _account(self, app: msal.ClientApplication) -> dict[str, Any]:
        accounts = app.get_accounts(username=self.username or None)
        if not accounts:
            who = f" as {self.username}" if self.username else ""
            raise TokenUnavailable(f"not signed in to Microsoft 365{who}: run bulletin-tui mail login")
        return dict(accounts[0])

    def _app(self) -> msal.ClientApplication:
        """The MSAL application (built once: building it fetches the authority's OpenID configuration)."""
        if self._application is None:
            self._application = self._create(self._cache.cache)
        return self._application

    def _create(self, cache: msal.TokenCache) -> msal.ClientApplication:
        """A new MSAL application keeping its tokens in `cache`; TokenUnavailable if Entra ID cannot be reached."""
        try:
            return self._build(cache)
        except (ValueError, OSError) as exc:  # requests' errors are OSErrors
            raise TokenUnavailable(f"oauth: {self.authority}: {_one_line(exc, self._secret)}") from None

    def _build(self, cache: msal.TokenCache) -> msal.ClientApplication:
        common: dict[str, Any] = {
            "authority": self.authority, "token_cache": cache, "timeout": 30,
            "instance_discovery": False if _is_custom(self.oauth.authority) else None,
        }
        if self.oauth.mode == "delegated":
            return msal.PublicClientApplication(self.oauth.client_id, **common)
        return msal.ConfidentialClientApplication(self.oauth.client_id, client_credential=self._credential(), **common)

    def _credential(self) -> str | dict[str, str]:
        if self.oauth.certificate_path:
            return certificate_credential(self.oauth.certificate_path, self.oauth.certificate_thumbprint)
        if not self._secret:
            raise TokenUnavailable("oauth: app mode needs a client secret (BULLETIN_OAUTH__CLIENT_SECRET or the "
                                   "keyring: bulletin-tui mail store-secret) or [oauth] certificate_path")
        return self._secret

    # -- delegated sign-in -------------------------------------------------------------------------------------
    def start_device_login(self) -> DeviceLogin:
        """Ask Entra ID for a device code; the person enters it at the URL shown."""
        if self.oauth.mode != "delegated":
            raise DomainError("mail login is for [oauth] mode = \"delegated\"; app mode needs no sign-in")
        with self._lock:
            flow = self._app().initiate_device_flow(scopes=DELEGATED_SCOPES)
        if "user_code" not in flow:
            raise TokenUnavailable(describe_token_error(flow))
        return DeviceLogin(flow)

    def finish_device_login(self, login: DeviceLogin) -> str:
        """Wait (polling) until the person has signed in; their username. TokenUnavailable if refused/expired."""
        result = self._app().acquire_token_by_device_flow(login.flow)
        with self._lock:
            self._cache.save()
        if "access_token" not in result:
            if login.cancelled:
                raise TokenUnavailable("sign-in cancelled")
            raise TokenUnavailable(describe_token_error(result))
        claims = result.get("id_token_claims") or {}
        return str(claims.get("preferred_username") or claims.get("upn") or "")

    def logout(self) -> bool:
        """Forget every token of this data folder; True if there were any."""
        with self._lock:
            return self._cache.forget()


class DeviceLogin:
    """A device-code sign-in in progress: what to show the person, and a way to stop waiting."""

    def __init__(self, flow: dict[str, Any]) -> None:
        self.flow = flow
        self.user_code: str = flow["user_code"]
        self.verification_uri: str = flow.get("verification_uri", "")
        self.expires_at: float = float(flow.get("expires_at", time.time() + 900))
        self.message: str = flow.get("message", "")
        self.cancelled = False

    def seconds_left(self, now: float | None = None) -> int:
        return max(0, int(self.expires_at - (time.time() if now is None else now)))

    def cancel(self) -> None:
        """Stop the polling in `finish_device_login` (MSAL gives up once `expires_at` has passed)."""
        self.cancelled = True
        self.flow["expires_at"] = 0


def _is_custom(authority: str) -> bool:
    """An authority Microsoft's instance discovery does not know (tests, a proxy): skip that discovery."""
    from urllib.parse import urlsplit

    host = (urlsplit(authority).hostname or "").lower()
    return not (host.startswith("login.") and (host.endswith(".com") or host.endswith(".us") or host.endswith(".cn")))


def _one_line(exc: BaseException, secret: str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.replace(secret, "***") if secret else text
