"""Live screens at 50,000 subscribers (#24): another process's save shows on the subscribers screen within 2 s, the
cursor stays on the same person, and a save that changed no subscriber does not rebuild the screen's index."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from bulletin_tui.services.bulletins.issues import update_issue
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.tui.screens.subscribers import SubscribersScreen
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE
from .other_hands import second_context, wait_for
from .test_scale import COUNT, add_people


async def test_another_process_save_shows_within_2_s_at_50000_subscribers(demo_ctx, app_for, clock) -> None:
    add_people(demo_ctx, COUNT)
    total = len(demo_ctx.store.subscribers)
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SubscribersScreen)
            table = screen.query_one(DataTable)
            table.move_cursor(row=40)
            await pilot.pause()
            chosen, index = screen.selected_email(), screen.index

            update_issue(other, DEMO_ISSUE, title="Retitled elsewhere")  # no subscriber changed
            version = app.data_version
            await wait_for(pilot, lambda: app.data_version > version, timeout=2)
            await pilot.pause()
            assert screen.index is index, "a save that changed no subscriber reuses the index"

            add_subscriber(other, "aaa-first@example.org", list_name="e-bulletin", source="operator")
            count = screen.query_one("#match-count", Static)
            took = await wait_for(pilot, lambda: str(count.render()).startswith(f"{total + 1:,} of"), timeout=5)
            print(f"shown {took:.2f} s after the other process's save, at {total:,} subscribers")
            assert took < 2.0
            assert screen.selected_email() == chosen and table.cursor_row == 41
    finally:
        other.close()
