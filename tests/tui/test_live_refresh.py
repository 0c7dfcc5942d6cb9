"""Live screens (#24): another process's save shows on the screen within 2 s, the cursor stays on the same record,
and a half-typed form keeps its text."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from bulletin_tui.services.bulletins.assembly import add_item, edit_item, issue_items, move_item
from bulletin_tui.tui.screens.bulletin import BulletinScreen
from bulletin_tui.tui.screens.subscriber_form import SubscriberForm
from bulletin_tui.tui.screens.subscribers import SubscribersScreen
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE, notifications
from .other_hands import run_cli, second_context, wait_for

SHOWN_WITHIN_S = 2.0


def count_text(screen: SubscribersScreen) -> str:
    return str(screen.query_one("#match-count", Static).render())


async def test_a_cli_save_shows_within_2_s_keeping_the_cursor_and_a_half_typed_form(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SubscribersScreen) and count_text(screen).startswith("240 of 240")
        table = screen.query_one(DataTable)
        table.move_cursor(row=20)
        await pilot.pause()
        chosen = screen.selected_email()

        await run_cli(demo_ctx.data_dir, "subscribers", "add", "aaa-first@example.org", "--name", "A First",
                      "--list", "e-bulletin")  # sorts first: every row moves down one
        took = await wait_for(pilot, lambda: count_text(screen).startswith("241 of 241"))
        assert took < SHOWN_WITHIN_S, f"shown after {took:.2f} s"
        assert screen.selected_email() == chosen and table.cursor_row == 21, "the cursor stays on the same person"

        await pilot.press("e")  # edit the chosen person and type half a name
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SubscriberForm)
        name = form.query_one("#f-name", Input)
        before = name.value
        await pilot.press("end", *" Jr")
        assert name.value == before + " Jr"
        version = app.data_version

        await run_cli(demo_ctx.data_dir, "subscribers", "unsubscribe", chosen, "--list", "e-bulletin")
        await wait_for(pilot, lambda: app.data_version > version, timeout=SHOWN_WITHIN_S)
        await pilot.pause()
        assert app.screen is form and name.value == before + " Jr", "a refresh never replaces what is typed"
        assert any("Someone else saved this subscriber" in text for text in notifications(app))
        row = screen.shown[screen.query_one(DataTable).cursor_row]
        assert row.email == chosen and "(e-bulletin)" in row.lists, "the list under the form shows their change"


async def test_the_bulletin_screen_follows_another_app_keeping_the_chosen_item(demo_ctx, app_for, clock) -> None:
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BulletinScreen)
            screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
            await pilot.pause()
            items = screen.query_one("#item-table", DataTable)
            items.move_cursor(row=2)
            await pilot.pause()
            chosen = screen.current_item()
            assert chosen is not None

            edit_item(other, chosen.id, title="Retitled in another app")
            added = add_item(other, DEMO_ISSUE, title="Added in another app", category="news", summary="New.",
                             link="https://www.kent.gov.uk/", link_text="Kent County Council")
            move_item(other, DEMO_ISSUE, added.id, 1)  # on top: the chosen item moves down a row
            took = await wait_for(pilot, lambda: len(screen.items) == len(issue_items(other, DEMO_ISSUE)))
            await pilot.pause()
            assert took < SHOWN_WITHIN_S
            current = screen.current_item()
            assert current is not None and current.id == chosen.id and items.cursor_row == 3
            assert current.title == "Retitled in another app"
            assert "Retitled in another app" in str(items.get_row_at(3)[2])
    finally:
        other.close()


async def test_nothing_is_reloaded_when_nobody_else_saved(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        reloads, index = [], screen.index
        screen.reload = lambda: reloads.append(1)  # type: ignore[method-assign]
        version, generation = app.data_version, app.shown_generation
        for _ in range(3):
            assert not app.catch_up()
        await pilot.pause(0.6)  # at least one tick of the app's own interval
        assert reloads == [] and app.data_version == version and app.shown_generation == generation
        assert screen.index is index
