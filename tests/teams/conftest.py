"""Fixtures for Teams through Graph: the Entra stand-in (Graph tokens) and the Graph stand-in, both over HTTPS with
the test CA; settings pointing at them; a Graph client that records its waits instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.teams.graph import GraphClient
from bulletin_tui.services.teams.wiring import graph_client
from tests.conftest import CliRun
from tests.mailauth.conftest import entra, pki  # noqa: F401  (fixtures shared with the mail tests)
from tests.mailauth.entra import CLIENT_ID, SECRET, TENANT, EntraState
from tests.mailauth.pki import Pki

from .graph import ORGANISER_ID, GraphState, running_graph


@pytest.fixture
def graph(pki: Pki, entra: EntraState, monkeypatch: pytest.MonkeyPatch) -> Iterator[GraphState]:  # noqa: F811
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))  # urllib (Graph) trusts the test CA; MSAL uses
    with running_graph(pki, entra) as state:                 # REQUESTS_CA_BUNDLE, set by the entra fixture
        yield state


def teams_values(graph: GraphState, **teams: Any) -> dict[str, Any]:
    """Settings as an admin gives them: the [oauth] app (secret in the environment) and [teams]."""
    return {"oauth": {"tenant": TENANT, "client_id": CLIENT_ID, "authority": graph.entra.base, "mode": "app",
                      "client_secret": SECRET},
            "teams": {"organiser": ORGANISER_ID, "graph_url": f"{graph.base}/v1.0", **teams}}


@pytest.fixture
def teams_settings(graph: GraphState, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", **teams_values(graph))


@pytest.fixture
def tctx(teams_settings: Settings, clock: FixedClock) -> Iterator[AppContext]:
    context = open_context(teams_settings, create=True, clock=clock)
    yield context
    context.close()


class Waits(list[float]):
    """The waits a client asked for (nothing really sleeps)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def client(teams_settings: Settings, waits: Waits) -> GraphClient:
    """The client the settings build (real MSAL tokens from the Entra stand-in), without real sleeps."""
    built = graph_client(teams_settings)
    built.sleep = waits
    return built


@pytest.fixture
def teams_cli(cli: CliRun, graph: GraphState, monkeypatch: pytest.MonkeyPatch) -> CliRun:
    """The CLI with [oauth] and [teams] from BULLETIN_* variables, as a deployment sets them."""
    env = {"OAUTH__TENANT": TENANT, "OAUTH__CLIENT_ID": CLIENT_ID, "OAUTH__AUTHORITY": graph.entra.base,
           "OAUTH__CLIENT_SECRET": SECRET, "TEAMS__ORGANISER": ORGANISER_ID, "TEAMS__GRAPH_URL": f"{graph.base}/v1.0"}
    for key, value in env.items():
        monkeypatch.setenv(f"BULLETIN_{key}", value)
    return cli
