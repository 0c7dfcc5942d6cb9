"""The send screen (#25 item 9): the test address is remembered, general + restricted lists get one test copy per
variant (at an SMTP stand-in), the checks refresh by themselves after a fix, and their findings are on the screen."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.bulletins.assembly import edit_item
from bulletin_tui.tui.messages import DataChanged
from bulletin_tui.tui.screens.confirm import PromptModal
from bulletin_tui.tui.screens.send import SendScreen
from tests.conftest import DEMO_ISSUE
from tests.sending.smtp_server import running_server

from .conftest import SIZE, notifications

GENERAL, RESTRICTED = "e-bulletin", "partnership-restricted"


async def _choose(pilot, *lists: str) -> SendScreen:
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SendScreen)
    screen.query_one("#issue", Select).value = DEMO_ISSUE
    await pilot.pause()
    screen._lists_chosen(list(lists))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def _shown(screen: SendScreen, widget: str) -> str:
    return str(screen.query_one(widget, Static).render())


async def _test_send_to(pilot, address: str | None) -> str:
    """Press t, note the address offered, send to `address` (or the one offered); returns the one offered."""
    await pilot.press("t")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, PromptModal)
    offered = prompt.query_one(Input).value
    if address is not None:
        prompt.query_one(Input).value = address
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return offered


async def test_one_test_copy_per_variant_and_the_address_is_remembered(demo_ctx, app_for) -> None:
    async with running_server() as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        app = app_for(demo_ctx, transport_factory=lambda: SmtpTransport(settings, concurrency=1))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _choose(pilot, GENERAL, RESTRICTED)
            first = await _test_send_to(pilot, "officer@kent.gov.uk")
            assert first == (demo_ctx.settings.sender.operator_address or demo_ctx.settings.sender.from_address)
            assert sorted(m.parsed()["Subject"].split("]")[0] for m in server.messages) == [
                "[TEST general", "[TEST restricted"]
            assert {rcpt for m in server.messages for rcpt in m.rcpt_tos} == {"officer@kent.gov.uk"}
            assert any("2 test copies sent to officer@kent.gov.uk" in n for n in notifications(app))
            assert "Test: sent to officer@kent.gov.uk" in _shown(screen, "#send-status")
            await pilot.press("1", "5")  # away and back: still offered
            await pilot.pause()
            assert await _test_send_to(pilot, None) == "officer@kent.gov.uk"
            assert len(server.messages) == 4
            screen._lists_chosen([GENERAL])  # one list: one variant, one copy
            await pilot.pause()
            await _test_send_to(pilot, None)
            assert len(server.messages) == 5 and server.messages[-1].parsed()["Subject"].startswith("[TEST] ")


async def test_the_checks_run_by_themselves_list_their_findings_and_refresh_after_a_fix(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _choose(pilot, GENERAL)
        assert screen.checks is not None and not screen.checks.passed  # without pressing c
        findings = _shown(screen, "#send-checks")
        assert "✘ “Crime in England and Wales: year ending December 2021”: has no link" in findings
        assert "\n! " in findings and "… and 2 more: press 3, then c" in findings  # warnings too, on the screen
        errors, warnings = len([f for f in screen.checks.findings if f.severity == "error"]), len(
            [f for f in screen.checks.findings if f.severity != "error"])
        assert f"Checks: {errors} problem(s), {warnings} warning(s)" in _shown(screen, "#send-status")
        app.clear_notifications()
        edit_item(demo_ctx, "demo-b08", link="https://www.ons.gov.uk/crime", link_text="Crime figures at the ONS")
        app.post_message(DataChanged("items"))  # as the bulletin screen does after a save
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Crime in England and Wales" not in _shown(screen, "#send-checks")
        assert f"Checks: {errors - 1} problem(s), {warnings} warning(s)" in _shown(screen, "#send-status")
        assert notifications(app) == []  # on the screen, not a toast


async def test_the_checks_are_not_run_again_when_nothing_they_read_changed(demo_ctx, app_for) -> None:
    from bulletin_tui.services.sessions.registrations import register
    from tests.conftest import DEMO_SESSION

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _choose(pilot, GENERAL)
        shown = screen.checks
        register(demo_ctx, DEMO_SESSION, "someone@example.org")  # a registration: not something the checks read
        app.post_message(DataChanged("sessions"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert screen.checks is shown
