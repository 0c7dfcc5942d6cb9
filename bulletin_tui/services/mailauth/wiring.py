"""Build the token provider and the transport the settings ask for (the one place that knows both)."""

from __future__ import annotations

from pathlib import Path

from ...config import Settings
from ...sending.factory import make_transport
from ...sending.transport import Transport
from .cache import cache_path
from .secret_store import client_secret
from .tokens import TokenProvider


def uses_oauth(settings: Settings) -> bool:
    """True when SMTP or IMAP signs in with OAuth2."""
    return settings.smtp.auth == "oauth2" or (settings.imap.auth or settings.smtp.auth) == "oauth2"


def token_provider(settings: Settings, data_dir: Path | None = None) -> TokenProvider:
    """The provider for `[oauth]`, its cache in the data folder; DomainError if tenant/client id are missing."""
    secret = client_secret(settings.oauth) if settings.oauth.mode == "app" else ""
    username = settings.smtp.username or settings.imap.username
    return TokenProvider(settings.oauth, cache_path(data_dir or settings.data_dir), secret=secret, username=username)


def transport_for(settings: Settings, data_dir: Path) -> Transport:
    """`make_transport`, with a token provider when SMTP signs in with OAuth2."""
    if settings.smtp.host and settings.smtp.auth == "oauth2":
        return make_transport(settings, data_dir, token_source=token_provider(settings, data_dir))
    return make_transport(settings, data_dir)
