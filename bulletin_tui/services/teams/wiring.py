"""The Graph client the settings ask for: `[teams]` for where and for whom, `[oauth]` (app mode) for the token."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...config import Settings
from ...domain.errors import DomainError
from .graph import GraphClient

if TYPE_CHECKING:  # importing tokens imports MSAL: only when a token is wanted
    from ..mailauth.tokens import TokenProvider

GRAPH_SCOPES = ["https://graph.microsoft.com/.default"]
"""App-only: every Microsoft Graph application permission an admin granted the app."""
SETTINGS_HINT = "docs/microsoft-365.md, \"Teams meetings through Microsoft Graph\""


def teams_enabled(settings: Settings) -> bool:
    return bool(settings.teams.organiser.strip())


def organiser(settings: Settings) -> str:
    """`[teams] organiser`; DomainError naming the setting when Teams through Graph is off."""
    found = settings.teams.organiser.strip()
    if not found:
        raise DomainError(f"Teams through Microsoft Graph is off: set [teams] organiser ({SETTINGS_HINT})")
    return found


def graph_client(settings: Settings, data_dir: Path | None = None) -> GraphClient:
    """A client with app-only tokens for Microsoft Graph from the [oauth] app (MSAL, the token cache file)."""
    return GraphClient(settings.teams.graph_url, graph_tokens(settings, data_dir), timeout=settings.teams.timeout)


def graph_tokens(settings: Settings, data_dir: Path | None = None) -> TokenProvider:
    """The [oauth] app's token provider for Microsoft Graph (app mode only: Teams work runs unattended)."""
    from ..mailauth.cache import cache_path
    from ..mailauth.secret_store import client_secret
    from ..mailauth.tokens import TokenProvider

    organiser(settings)
    if settings.oauth.mode != "app":
        raise DomainError("Teams through Microsoft Graph needs [oauth] mode = \"app\" (client credentials: it runs "
                          f"unattended, e.g. in the worker); {SETTINGS_HINT}")
    return TokenProvider(settings.oauth, cache_path(data_dir or settings.data_dir),
                         secret=client_secret(settings.oauth), app_scopes=GRAPH_SCOPES)
