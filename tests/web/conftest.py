"""A data folder with lists, subscribers and an upcoming session, and the web face serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.sessions import catalogue
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.tokens import unsubscribe_token

from .server import Server, running_server

PEOPLE = [f"reader{n}@example.org" for n in range(5)]


@pytest.fixture
def web_data(ctx: AppContext) -> Path:
    """Two public lists, a restricted one, five readers, one session in January; the fixture's lock released."""
    add_list(ctx, "e-bulletin", "Community Safety e-Bulletin", description="monthly", public=True)
    add_list(ctx, "csis", "CSIS invitations", public=True)
    add_list(ctx, "partnership-restricted", "Partnership (restricted)", cleared_for_restricted=True)
    for address in PEOPLE:
        add_subscriber(ctx, address, name=address.split("@")[0].title(), list_name="e-bulletin", source="test")
        add_subscriber(ctx, address, list_name="csis", source="test")
    start, end = catalogue.parse_times("2027-01-14 12:30", "13:30")
    catalogue.create_session(ctx, slug="csis-2027-01", title="CSIS: Serious Violence Duty", start=start, end=end,
                             capacity=1, join_link="https://teams.microsoft.com/l/meetup-join/secret-join-link")
    ctx.close()
    return ctx.data_dir


def token_for(data_dir: Path, settings: object, email: str, list_slug: str = "e-bulletin") -> str:
    with open_context(settings, read_only=True) as ctx:  # type: ignore[arg-type]
        return unsubscribe_token(ctx, email, list_slug)


@pytest.fixture
def server(web_data: Path, tmp_path: Path) -> Iterator[Server]:
    with running_server(web_data, tmp_path / "serve.log") as running:
        yield running


def reopen(settings: object) -> AppContext:
    return open_context(settings, read_only=True)  # type: ignore[arg-type]
