"""#25 items 3 and 6: lists open on what is next and select what was just made; tables fit 80 and 120 columns
(titles whole, addresses cut in the middle, the Attended column in view); import results show more than a row
or two; End reaches the last row."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from bulletin_tui.services.sessions.catalogue import list_sessions
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.tui.screens.import_wizard import ImportWizard
from bulletin_tui.tui.screens.sessions import SessionsScreen
from tests.conftest import DEMO_ISSUE, FIXED_NOW

from .conftest import SIZE
from .screen_text import screen_lines

SIZES = pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x36"])


async def _sessions(pilot) -> SessionsScreen:
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionsScreen)
    return pilot.app.screen


async def test_sessions_open_on_the_next_one_with_the_past_after_the_upcoming(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _sessions(pilot)
        upcoming = [s for s in screen.sessions if s.start >= FIXED_NOW]
        past = [s for s in screen.sessions if s.start < FIXED_NOW]
        assert upcoming and past and screen.sessions == upcoming + past
        assert [s.start for s in upcoming] == sorted(s.start for s in upcoming)
        assert [s.start for s in past] == sorted((s.start for s in past), reverse=True)
        assert screen.current_session() == upcoming[0]
        table = screen.query_one("#session-table", DataTable)
        labels = [str(row.label) for row in table.ordered_rows]
        assert labels[0] == "Next" and labels[len(upcoming)] == "Past"
        assert {label for n, label in enumerate(labels) if n not in (0, len(upcoming))} == {""}


async def test_end_and_home_reach_the_last_and_first_rows(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _sessions(pilot)
        table = screen.query_one("#session-table", DataTable)
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1 == len(screen.sessions) - 1
        assert screen.current_session() == screen.sessions[-1]
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


@SIZES
async def test_session_titles_are_whole_and_the_attended_column_is_in_view(demo_ctx, app_for, size) -> None:
    upcoming = [s for s in list_sessions(demo_ctx) if s.start >= FIXED_NOW][0]
    long_address = "a.very.long.name.for.a.partner.officer@community-safety.kent.police.example.org"
    register(demo_ctx, upcoming.slug, long_address, name="Long Address")
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await _sessions(pilot)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert upcoming.title in text or size == (80, 24)  # at 80 columns it wraps: every word is there
        assert all(word in text for word in upcoming.title.split())
        lines = screen_lines(app)
        header = next(line for line in lines if "E-mail" in line and "Status" in line)
        assert header.rstrip().endswith("Attended")
        row = next(line for line in lines if "Long Address" in line)
        assert "…" in row and row.startswith(" confirmed"), row
        assert "example.org" in row and "a.very.long" in row, "the address is cut in the middle, keeping its end"


async def test_a_created_session_is_selected(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _sessions(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        for name, value in dict(slug="csis-new", title="A new session", start="2027-02-04 12:30",
                                end="13:30").items():
            form.query_one(f"#f-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current_session().slug == "csis-new"
        assert "A new session" in str(screen.query_one("#session-info").render())


async def test_an_added_item_is_selected(demo_ctx, app_for) -> None:
    from bulletin_tui.tui.screens.item_form import ItemForm

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ItemForm)
        app.screen.query_one("#f-title", Input).value = "A freshly added item"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.current_item() is not None and screen.current_item().title == "A freshly added item"


async def test_an_added_subscriber_is_selected_even_if_the_filter_hid_them(demo_ctx, app_for) -> None:
    from textual.widgets import Checkbox

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"thanet")
        await pilot.pause()
        screen = app.screen
        await pilot.press("escape")
        screen.query_one("#subscriber-table", DataTable).focus()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-email", Input).value = "zoe.new@example.org"
        form.query_one("#l-e-bulletin", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.selected_email() == "zoe.new@example.org"


@SIZES
async def test_the_import_preview_shows_more_than_a_row_or_two(demo_ctx, app_for, tmp_path: Path, size) -> None:
    lines = ["email,name,organisation"] + [f"person{n}@example.org,Person {n},Kent" for n in range(30)]
    lines += [f"not-an-address-{n},Bad {n},Kent" for n in range(10)]
    source = tmp_path / "people.csv"
    source.write_text("\n".join(lines) + "\n")
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "i")
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, ImportWizard)
        wizard.query_one("#path", Input).value = str(source)
        await pilot.click("#preview")
        await pilot.pause()
        for table_id in ("#first-rows", "#invalid-rows"):
            table = wizard.query_one(table_id, DataTable)
            visible_rows = table.scrollable_content_region.height - 1  # the header row
            assert min(visible_rows, table.row_count) >= 4, (table_id, visible_rows)
