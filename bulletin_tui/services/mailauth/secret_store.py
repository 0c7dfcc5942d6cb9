"""The app's client secret: only from `BULLETIN_OAUTH__CLIENT_SECRET` or the OS keyring, never from a file.

`keyring` is optional at run time: without the package, or without a usable backend (a headless server), the
environment variable is the only source.
"""

from __future__ import annotations

from typing import Any

from ...config import OAuthSettings
from ...domain.errors import DomainError

KEYRING_SERVICE = "bulletin-tui"


def keyring_user(client_id: str) -> str:
    """The keyring entry name for one app registration's secret."""
    return f"oauth-client-secret:{client_id}"


def _keyring() -> Any | None:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def client_secret(oauth: OAuthSettings) -> str:
    """The secret from the environment, else the keyring, else ''."""
    from_env = oauth.client_secret.get_secret_value()
    if from_env or not oauth.client_id:
        return from_env
    keyring = _keyring()
    if keyring is None:
        return ""
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user(oauth.client_id)) or ""
    except Exception:  # no backend, a locked or broken keyring: the environment is the way then
        return ""


def store_client_secret(oauth: OAuthSettings, secret: str) -> str:
    """Keep the secret in the OS keyring and read it back; returns the backend's name. DomainError if there is no
    usable keyring, or it did not keep the secret (the null backend accepts anything and keeps nothing)."""
    if not oauth.client_id:
        raise DomainError("oauth.client_id: set it before storing its secret")
    keyring = _keyring()
    if keyring is None:
        raise DomainError("the keyring package is not installed; set BULLETIN_OAUTH__CLIENT_SECRET instead")
    backend = backend_name(keyring)
    user = keyring_user(oauth.client_id)
    try:
        keyring.set_password(KEYRING_SERVICE, user, secret)
        kept = keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:
        raise DomainError(f"keyring ({backend}): {type(exc).__name__}; set BULLETIN_OAUTH__CLIENT_SECRET "
                          "instead") from None
    if kept != secret:
        raise DomainError(f"the keyring backend {backend} did not keep the secret (it could not be read back); "
                          "set BULLETIN_OAUTH__CLIENT_SECRET instead")
    return backend


def backend_name(keyring: Any) -> str:
    """The keyring backend in use, as PYTHON_KEYRING_BACKEND names it (`keyring.backends.null.Keyring`)."""
    try:
        chosen = type(keyring.get_keyring())
    except Exception:
        return "unknown"
    return f"{chosen.__module__}.{chosen.__qualname__}"
