"""The registration pages of a session on several dates and of a hybrid session, in Chromium: axe-core finds no
serious violation and nothing scrolls sideways at 375 and 1280 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, occurrences

from ..browser_support import chromium, serious_axe_violations
from .server import running_server

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "profile", bypass_csp=True) as context:  # only so axe's script can be added
        yield context


@pytest.fixture
def pages_data(ctx: AppContext) -> Path:
    start, end = catalogue.parse_times("2031-02-04 09:30", "16:00")
    catalogue.create_session(
        ctx,
        slug="asb-cpd",
        title="ASB Tools & Powers CPD",
        start=start,
        end=end,
        capacity=16,
        venue="To be confirmed (district/borough partner)",
    )
    for day in ("2031-02-18", "2031-03-04", "2031-03-18"):
        start, end = catalogue.parse_times(f"{day} 09:30", "16:00")
        occurrences.add_occurrence(ctx, "asb-cpd", start=start, end=end)
    start, end = catalogue.parse_times("2031-02-28 09:30", "13:00")
    catalogue.create_session(
        ctx,
        slug="pve",
        title="Preventing Hateful Extremism",
        start=start,
        end=end,
        format=SessionFormat.HYBRID,
        venue="Oakwood House",
        capacity_in_person=80,
        capacity_online=200,
    )
    ctx.close()
    return ctx.data_dir


@pytest.mark.parametrize("width", [375, 1280])
def test_date_and_mode_choices_are_accessible(browser: Any, pages_data: Path, tmp_path: Path, width: int) -> None:
    with running_server(pages_data, tmp_path / "serve.log") as server:
        page = browser.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/sessions/", "/sessions/asb-cpd", "/sessions/pve"):
            page.goto(server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert serious_axe_violations(page) == [], path
        page.goto(server.url + "/sessions/asb-cpd")
        page.get_by_label("Tuesday 18 February 2031, 9.30 am to 4 pm (16 places left)").check()
        page.close()
