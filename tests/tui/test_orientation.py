"""#25 item 1: the six areas are visible on every screen (the area bar), help lists all six, and the footer shows
whole labels only."""

from __future__ import annotations

import pytest

from bulletin_tui.tui.areas import AREAS
from bulletin_tui.tui.screens.help import HelpScreen, keys_markdown
from bulletin_tui.tui.widgets.area_bar import AreaBar

from .conftest import SIZE
from .screen_text import screen_lines

AREA_NAMES = [area.name for area in AREAS]


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x36"])
async def test_the_area_bar_names_the_six_areas_on_every_screen_and_marks_the_current_one(
        demo_ctx, app_for, size) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        for area in AREAS:
            await pilot.press(area.key)
            await pilot.pause()
            bar = app.screen.query_one(AreaBar)
            assert bar.current_name() == area.name
            row = screen_lines(app)[bar.region.y]
            for other in AREAS:
                assert f"{other.key} {other.name}" in row, (area.name, row)


async def test_the_area_bar_shows_over_a_screen_opened_from_an_area(demo_ctx, app_for) -> None:
    """The follow-up screen (sessions, f) still says the user is in Sessions."""
    from bulletin_tui.tui.screens.followup import FollowUpScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)
        assert app.screen.query_one(AreaBar).current_name() == "Sessions"


async def test_clicking_an_area_in_the_bar_opens_it(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = screen_lines(app)[app.screen.query_one(AreaBar).region.y]
        await pilot.click(AreaBar, offset=(row.index("6 Inbox") + 2, 0))
        await pilot.pause()
        assert app.current_mode == "inbox"


async def test_help_lists_all_six_areas_with_their_keys(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = keys_markdown(app.screen.for_screen)
        for area in AREAS:
            assert f"{area.key}: Go to {area.name}" in text


def footer_problems(app) -> list[str]:
    """What is wrong with the footer on show: an entry cut by the edge or the palette key, or a label that is not
    on the screen whole; [] when every visible key and description can be read."""
    from bulletin_tui.tui.widgets.key_footer import FooterEntry, KeyFooter

    footer = app.screen.query_one(KeyFooter)
    row = screen_lines(app)[footer.region.y]
    entries = [e for e in footer.query(FooterEntry) if e.display]
    palette = [e for e in entries if e.has_class("-palette")]
    limit = palette[0].region.x if palette else footer.region.right
    problems = []
    for entry in entries:
        label = " ".join(entry.entry.shown_keys) + (" " + entry.entry.description if entry.entry.description else "")
        if label not in row:
            problems.append(f"{label!r} not whole in {row!r}")
        if entry not in palette and entry.region.right > limit:
            problems.append(f"{label!r} runs under the palette key or off the edge")
    return problems


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x36"])
async def test_no_footer_label_is_cut_on_any_screen(demo_ctx, app_for, size) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        for area in AREAS:
            await pilot.press(area.key)
            await pilot.pause()
            assert footer_problems(app) == [], area.name
            shown = [e.entry.description for e in app.screen.query("FooterEntry") if e.display]
            assert "Help" in shown, area.name
