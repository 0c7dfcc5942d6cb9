"""Issue #11 item 9 in the app: a data folder opened read-only because it is not writable says so (not "another
bulletin-tui holds this data folder")."""

from __future__ import annotations

from textual.widgets import Static

from bulletin_tui.services.context import open_context

from .conftest import SIZE


async def test_the_app_says_why_it_is_read_only(demo_ctx, app_for, clock) -> None:  # type: ignore[no-untyped-def]
    reader = open_context(demo_ctx.settings, read_only=True, clock=clock)
    reason = f"{demo_ctx.data_dir} is not writable (Permission denied: bulletin.lock)"
    reader.store.db.read_only_reason = reason  # what Database.open records for a read-only folder
    try:
        app = app_for(reader)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "READ-ONLY" in app.sub_title and "not writable" in app.sub_title
            banner = app.screen.query_one(".read-only-banner", Static)
            assert "not writable" in str(banner.render()) and "another bulletin-tui" not in str(banner.render())
    finally:
        reader.close()
