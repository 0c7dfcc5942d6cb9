"""Attendance only for a date that has started, by `m` (attended, no-show, not recorded) and by a Teams report;
and a failed session message shows its reason on the sessions screen (#25 items 4 and 5)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.sessions.registrations import register, registrations_for
from bulletin_tui.tui.screens.confirm import PromptModal
from tests.conftest import DEMO_SESSION
from tests.sending.smtp_server import running_server

from .conftest import SIZE, notifications

TEAMS = Path(__file__).parent.parent / "data" / "teams"


async def _highlight(pilot, slug: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#session-table", DataTable).move_cursor(row=[s.slug for s in screen.sessions].index(slug))
    await pilot.pause()
    screen.query_one("#registration-table", DataTable).focus()
    await pilot.pause()


def _attended(ctx) -> bool | None:
    return registrations_for(ctx, DEMO_SESSION)[0].attended


async def test_m_refuses_a_session_to_come_then_steps_through_the_three_states(demo_ctx, app_for) -> None:
    register(demo_ctx, DEMO_SESSION, "present@example.org", name="Present Person")
    session = demo_ctx.store.sessions.get(DEMO_SESSION)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await _highlight(pilot, DEMO_SESSION)
        await pilot.press("m")
        await pilot.pause()
        assert _attended(demo_ctx) is None
        assert any("has not started yet" in text and "attendance can be recorded once it has" in text
                   for text in notifications(app))
        demo_ctx.clock.advance(seconds=(session.end - demo_ctx.clock.now()).total_seconds())  # it has been held
        table = app.screen.query_one("#registration-table", DataTable)
        for expected, shown in ((True, "yes"), (False, "no-show"), (None, "–")):
            await pilot.press("m")
            await pilot.pause()
            assert _attended(demo_ctx) is expected
            assert shown in [str(cell) for cell in table.get_row_at(0)]


async def test_a_teams_report_for_a_session_to_come_is_refused(demo_ctx, app_for) -> None:
    register(demo_ctx, DEMO_SESSION, "alex@kent.police.uk", name="Alex First")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await _highlight(pilot, DEMO_SESSION)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one("Input").value = str(TEAMS / "attendance-2026-utf16.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert any("has not started yet" in text for text in notifications(app))
    assert _attended(demo_ctx) is None


async def test_a_failed_invite_shows_the_servers_reason(demo_ctx, app_for) -> None:
    register(demo_ctx, DEMO_SESSION, "gone@example.org", name="Gone Away")
    register(demo_ctx, DEMO_SESSION, "here@example.org", name="Still Here")
    async with running_server() as server:
        server.script.rcpt["gone@example.org"] = ["550 5.1.1 mailbox unavailable"]
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        app = app_for(demo_ctx, transport_factory=lambda: SmtpTransport(settings, concurrency=1))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await pilot.pause()
            await _highlight(pilot, DEMO_SESSION)
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await app.workers.wait_for_complete()
            await pilot.pause()
            said = " ".join(notifications(app))
            assert "1 failed" in said and "gone@example.org (invite): 550 5.1.1 mailbox unavailable" in said
            info = str(app.screen.query_one("#session-info", Static).render())
            assert "✘ gone@example.org (invite) failed: 550 5.1.1 mailbox unavailable" in info
            assert "here@example.org" not in info
