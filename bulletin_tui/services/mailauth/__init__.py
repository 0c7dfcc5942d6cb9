"""Mail sign-in: OAuth2 tokens from Microsoft Entra ID (MSAL; app-only or delegated device code), their private
cache file, the client secret from the environment or the keyring, and `mail check` (every step, nothing sent).

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "APP_SCOPES": "tokens",
    "DELEGATED_SCOPES": "tokens",
    "CheckStep": "steps",
    "DeviceLogin": "tokens",
    "MailCheck": "steps",
    "TokenProvider": "tokens",
    "cache_path": "cache",
    "check_mail": "check",
    "client_secret": "secret_store",
    "describe_token_error": "aadsts",
    "store_client_secret": "secret_store",
    "token_provider": "wiring",
    "transport_for": "wiring",
    "uses_oauth": "wiring",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
