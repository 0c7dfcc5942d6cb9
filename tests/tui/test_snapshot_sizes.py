"""#25: every main screen at 80x24 (usable) and 120x36 (comfortable), as SVG snapshots with demo data and the fixed
clock, each with the area bar and a footer in which no label is cut (asserted as well as pictured)."""

from __future__ import annotations

import pytest

from bulletin_tui.tui.app import make_app
from bulletin_tui.tui.areas import AREAS

from .test_orientation import footer_problems
from .test_snapshots import settle

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("area", AREAS, ids=[area.mode for area in AREAS])
def test_main_screen(demo_ctx, snap_compare, area, size) -> None:
    problems: list[str] = []

    async def open_area(pilot) -> None:
        await pilot.press(area.key)
        await pilot.pause()

    settled = settle(open_area)

    async def run_before(pilot) -> None:
        await settled(pilot)
        problems.extend(footer_problems(pilot.app))  # what the picture shows

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZES[size], run_before=run_before)
    assert problems == []
