"""The app shell: screens by key, help, palette commands, themes, read-only mode and the empty-state demo offer."""

from __future__ import annotations

from bulletin_tui.services.context import open_context
from bulletin_tui.tui.screens.bulletin import BulletinScreen
from bulletin_tui.tui.screens.dashboard import DashboardScreen
from bulletin_tui.tui.screens.help import HelpScreen
from bulletin_tui.tui.screens.send import SendScreen
from bulletin_tui.tui.screens.sessions import SessionsScreen
from bulletin_tui.tui.screens.subscribers import SubscribersScreen

from .conftest import SIZE, notifications


async def test_number_keys_open_each_main_screen(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        assert app.title == demo_ctx.settings.sender.team_name
        assert str(demo_ctx.data_dir) in app.sub_title
        for key, screen_type in (("2", SubscribersScreen), ("3", BulletinScreen), ("4", SessionsScreen),
                                 ("5", SendScreen), ("1", DashboardScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type), key


async def test_help_lists_the_screen_keys_and_closes_on_escape(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from bulletin_tui.tui.screens.help import keys_markdown

        text = keys_markdown(app.screen.for_screen)
        assert "Unsubscribe" in text and "Import" in text and "ctrl+p" in text
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_screen_and_the_current_screens_actions(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for label in ("Go to Dashboard", "Go to Subscribers", "Go to Send", "Help", "Toggle light/dark theme",
                      "New issue", "Add item", "Checks", "Open HTML"):
            assert label in titles


async def test_theme_toggles_between_light_and_dark(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        await pilot.press("ctrl+t")
        assert app.theme == before


async def test_a_second_instance_opens_writable_beside_the_first(demo_ctx, app_for, clock) -> None:
    """#24: a second officer's app is not read-only because the first has the folder open; its changes are saved."""
    second = open_context(demo_ctx.settings, fallback_read_only=True, clock=clock)
    try:
        app = app_for(second)
        async with app.run_test(size=SIZE) as pilot:
            assert "READ-ONLY" not in app.sub_title
            await pilot.press("2")
            await pilot.pause()
            assert isinstance(app.screen, SubscribersScreen)
            assert not app.screen.query(".read-only-banner")
            first = app.screen.selected_email()
            await pilot.press("u")
            await pilot.pause()
            await pilot.click("#confirm")
            await pilot.pause()
            demo_ctx.store.refresh()
            assert not demo_ctx.store.subscribers.get(first.casefold()).is_subscribed("e-bulletin")
    finally:
        second.close()


async def test_empty_data_folder_offers_demo_data(ctx, app_for) -> None:
    app = app_for(ctx, offer_demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.is_modal
        await pilot.press("enter")
        await pilot.pause()
        assert len(ctx.store.subscribers) == 240 and len(ctx.store.issues) == 2
        for _ in range(40):  # the notice follows the load as a message: on a loaded machine a pause is not enough
            if any("Demo data added" in text for text in notifications(app)):
                break
            await pilot.pause(0.05)
        assert any("Demo data added" in text for text in notifications(app))
