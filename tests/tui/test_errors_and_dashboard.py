"""Errors become one-line notifications (the app keeps running); the dashboard reflects sends and sessions."""

from __future__ import annotations

from textual.widgets import Select

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.tui.screens.dashboard import DashboardScreen
from bulletin_tui.tui.screens.send import SendScreen
from bulletin_tui.tui.send_bridge import recent_campaigns

from .conftest import SIZE, notifications
from .test_send_screen import clean_issue, wait_until


async def test_a_failing_send_worker_becomes_a_notification_not_a_crash(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    plaintext_remote = SmtpSettings(host="mail.example.org", port=25, security="none")
    app = app_for(demo_ctx, transport_factory=lambda: SmtpTransport(plaintext_remote))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.screen.query_one("#issue", Select).value = issue
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_until(lambda: any("Send failed" in n.title for n in app._notifications))
        await pilot.pause()
        assert isinstance(app.screen, SendScreen) and app.is_running
        failure = next(n for n in app._notifications if n.title == "Send failed")
        assert "\n" not in failure.message and "plain" in failure.message.lower()


async def test_dashboard_lists_the_campaign_after_a_send_to_the_outbox(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    app = app_for(demo_ctx)  # no SMTP configured: the outbox transport writes .eml files
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.screen.query_one("#issue", Select).value = issue
        app.screen.query_one("#list", Select).value = "dhr-webinars"
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_until(lambda: any("complete" in text for text in notifications(app)))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        summary = recent_campaigns(demo_ctx)[0]
        assert summary.name == f"bulletin-{issue}-dhr-webinars" and summary.sent > 0 and summary.failed == 0
    outbox = list((demo_ctx.data_dir / "outbox").rglob("*.eml"))
    assert len(outbox) == summary.sent


async def test_an_unexpected_worker_error_is_shown_and_the_app_keeps_running(demo_ctx, app_for, monkeypatch) -> None:
    from bulletin_tui.services.mailings import send as send_service

    async def broken(*args, **kwargs):
        raise KeyError("template variable went missing")

    monkeypatch.setattr(send_service, "send_tests", broken)
    issue = clean_issue(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.screen.query_one("#issue", Select).value = issue
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: any(n.severity == "error" for n in app._notifications))
        assert app.is_running and isinstance(app.screen, SendScreen)
        failure = next(n for n in app._notifications if n.severity == "error")
        assert "template variable went missing" in failure.message


async def test_a_bug_in_a_key_action_is_reported_and_the_app_keeps_working(demo_ctx, app_for, monkeypatch) -> None:
    """With errors contained (as `bulletin-tui` runs it), an unexpected exception is a notification plus a log."""
    from bulletin_tui.tui.screens.subscribers import SubscribersScreen

    def broken(self) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated bug in the export action")

    monkeypatch.setattr(SubscribersScreen, "action_export", broken)
    app = app_for(demo_ctx, contain_errors=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "o")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, SubscribersScreen)
        [failure] = [n for n in app._notifications if n.title == "export failed"]
        assert failure.message.startswith("simulated bug in the export action. The details are in ")
        log = demo_ctx.data_dir / "logs" / "tui-errors.log"
        assert "RuntimeError: simulated bug" in log.read_text() and log.stat().st_mode & 0o077 == 0
        await pilot.press("slash", *"priya")  # the screen still takes keys
        await pilot.pause()
        assert "priya" in app.screen.query_one("#filter").value


async def test_bugs_in_a_handler_or_a_dialog_result_are_reported_and_the_app_keeps_working(
    demo_ctx, app_for, monkeypatch
) -> None:
    from textual.widgets import Checkbox, Input

    from bulletin_tui.tui.screens import subscribers as subscribers_screen
    from bulletin_tui.tui.subscriber_index import SubscriberIndex

    def broken_search(self, query):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated bug in the filter")

    def broken_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated bug in saving")

    app = app_for(demo_ctx, contain_errors=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        monkeypatch.setattr(SubscriberIndex, "search", broken_search)
        await pilot.press("slash", "x")
        await pilot.pause()
        assert any(n.title == "Changed failed" and "simulated bug in the filter" in n.message
                   for n in app._notifications)
        monkeypatch.undo()
        monkeypatch.setattr(subscribers_screen, "save_person", broken_save)
        await pilot.press("enter", "a")
        await pilot.pause()
        app.screen.query_one("#f-email", Input).value = "new@example.org"
        app.screen.query_one("#l-e-bulletin", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert any(n.title == "save failed" for n in app._notifications)
        assert "new@example.org" not in demo_ctx.store.subscribers
        assert app.screen.query_one("#f-email", Input).value == "new@example.org", "the form stays, as typed"
        await pilot.press("escape")  # what was typed is thrown away only when confirmed
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        app.screen.query_one("#filter", Input).value = ""
        await pilot.press("slash", *"priya")  # the screen still takes keys and filters
        await pilot.pause()
        matches = str(app.screen.query_one("#match-count").render())
        assert matches.endswith("of 240") and not matches.startswith("0 ")
    log = (demo_ctx.data_dir / "logs" / "tui-errors.log").read_text()
    assert log.count("RuntimeError: simulated bug") == 2
