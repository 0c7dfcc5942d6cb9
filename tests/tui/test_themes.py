"""#25: a theme chosen once is the theme next time (a per-user state file, not the shared settings), the
high-contrast themes are offered, and text can still be selected to copy."""

from __future__ import annotations

import json

from textual.widgets import Static

from bulletin_tui.tui.themes import HIGH_CONTRAST, HIGH_CONTRAST_LIGHT

from .conftest import SIZE


async def test_a_chosen_theme_is_the_theme_next_time(demo_ctx, app_for, tmp_path) -> None:
    state = tmp_path / "state" / "tui.json"
    app = app_for(demo_ctx, state_file=state)
    async with app.run_test(size=SIZE) as pilot:
        assert HIGH_CONTRAST.name in app.available_themes and HIGH_CONTRAST_LIGHT.name in app.available_themes
        app.theme = HIGH_CONTRAST.name
        await pilot.pause()
    assert json.loads(state.read_text())["theme"] == HIGH_CONTRAST.name
    again = app_for(demo_ctx, state_file=state)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST.name


async def test_ctrl_t_is_remembered_too_and_a_broken_state_file_is_ignored(demo_ctx, app_for, tmp_path) -> None:
    state = tmp_path / "tui.json"
    state.write_text("{not json")
    app = app_for(demo_ctx, state_file=state)
    async with app.run_test(size=SIZE) as pilot:
        before = app.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != before
    assert json.loads(state.read_text())["theme"] == app.theme


async def test_an_unknown_saved_theme_falls_back_to_the_default(demo_ctx, app_for, tmp_path) -> None:
    state = tmp_path / "tui.json"
    state.write_text(json.dumps({"theme": "no-such-theme"}))
    app = app_for(demo_ctx, state_file=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_without_a_state_file_nothing_is_written(demo_ctx, app_for, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BULLETIN_STATE_DIR", str(tmp_path / "never"))
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
    assert not (tmp_path / "never").exists()


async def test_text_selection_is_left_on_so_staff_can_copy(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        info = app.screen.query_one("#session-info", Static)
        assert app.ALLOW_SELECT and app.screen.allow_select and info.allow_select
        await pilot.mouse_down(info, offset=(0, 0))
        await pilot.hover(info, offset=(20, 0))
        await pilot.mouse_up(info, offset=(20, 0))
        await pilot.pause()
        assert (app.screen.get_selected_text() or "").strip()
