"""Send screen flows against a real aiosmtpd server: confirm the count, watch progress finish, pause/resume, resume
after the app was closed mid-send, and refusal when the checks fail."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from textual.widgets import ProgressBar, Select

from bulletin_tui.config import SmtpSettings
from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.bulletins.assembly import add_item
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.tui.screens.confirm import ConfirmModal
from bulletin_tui.tui.screens.send import SendScreen
from bulletin_tui.tui.widgets.ledger_view import ledger_states
from tests.sending.smtp_server import running_server

from .conftest import SIZE, notifications

LIST = "csis-invitations"


def clean_issue(ctx) -> str:
    """An issue that passes every check."""
    create_issue(ctx, "2026-12", title="Community Safety e-Bulletin, December 2026")
    add_item(ctx, "2026-12", title="Winter safety campaign", category="campaign", summary="Advice for partners.",
             link="https://www.kent.gov.uk/winter", link_text="Winter safety campaign advice")
    ctx.settings.limits.rate_per_minute = 0
    return "2026-12"


def smtp_factory(port: int):
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none")
    return lambda: SmtpTransport(settings, concurrency=2)


async def choose(pilot, issue: str, list_slug: str = LIST) -> SendScreen:
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SendScreen)
    screen.query_one("#issue", Select).value = issue
    screen.query_one("#list", Select).value = list_slug
    await pilot.pause()
    return screen


async def wait_until(condition, timeout: float = 60.0) -> None:
    """Until `condition()` holds (checked every 20 ms); generous, since a loaded CI machine under a faked clock was
    seen to take over 10 s for a send the app finishes in 2 s here."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_send_states_the_exact_count_and_progress_finishes(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    expected = {p.email for p in audience(demo_ctx, LIST)}
    async with running_server() as server:
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await choose(pilot, issue)
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            assert f"exactly {len(expected)} recipient(s)" in app.screen.question
            await pilot.click("#confirm")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT)
            await pilot.pause()
            bar = screen.query_one(ProgressBar)
            assert bar.total == bar.progress == len(expected)
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    assert set(received) == expected and set(received.values()) == {1}
    states = ledger_states(demo_ctx, f"bulletin-{issue}-{LIST}")
    assert {s.state.value for s in states} == {"sent"} and len(states) == len(expected)


async def test_pause_holds_the_queue_and_resume_finishes_each_recipient_once(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    total = len(audience(demo_ctx, "e-bulletin"))  # 240: long enough to pause mid-way
    async with running_server() as server:
        server.script.end_delay = 0.02
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await choose(pilot, issue, "e-bulletin")
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: len(server.messages) >= 10)
            await pilot.press("space")
            await wait_until(lambda: screen.campaign is not None and screen.campaign.paused)
            await asyncio.sleep(0.2)
            held = len(server.messages)
            await asyncio.sleep(0.3)
            assert len(server.messages) == held < total
            assert "PAUSED" in str(screen.query_one("#progress-line").render())
            await pilot.press("space")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT)
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    assert len(received) == total and set(received.values()) == {1}


async def test_closing_mid_send_then_the_next_start_offers_resume(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    total = len(audience(demo_ctx, LIST))
    async with running_server() as server:
        server.script.end_delay = 0.02
        first = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with first.run_test(size=SIZE) as pilot:
            await choose(pilot, issue)
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: len(server.messages) >= 5)
            await pilot.press("ctrl+q")
            await wait_until(lambda: first.send_screen.campaign is None)
        # the app was closed mid-send: the sending thread stopped after the messages in flight
        stopped_at = len(server.messages)
        await asyncio.sleep(0.3)
        assert len(server.messages) == stopped_at < total
        second = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with second.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert any("can be resumed" in text for text in notifications(second))
            await pilot.press("5")
            await pilot.pause()
            assert second.screen.chosen() == (issue, LIST)  # the unfinished campaign is preselected
            await choose(pilot, issue)
            await pilot.press("R")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT)
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    states = Counter(s.state.value for s in ledger_states(demo_ctx, f"bulletin-{issue}-{LIST}"))
    assert states["sent"] + states["uncertain"] == total
    assert max(received.values()) == 1 and len(received) >= total - states["uncertain"]


async def test_failing_checks_block_the_send_until_overridden(demo_ctx, app_for) -> None:
    demo_ctx.settings.limits.rate_per_minute = 0
    issue = f"{demo_ctx.clock.now():%Y-%m}"  # the demo issue has items without links
    async with running_server() as server:
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            await choose(pilot, issue, "dhr-webinars")
            await pilot.press("s")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmModal)
            assert any("send anyway" in text for text in notifications(app))
            await pilot.press("f")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal) and "overriding" in app.screen.question
            await pilot.press("escape")
            await pilot.pause()
    assert server.messages == []


async def test_the_concurrency_setting_opens_that_many_connections(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    demo_ctx.settings.limits.concurrency = 4  # the transport factory still says 2: the campaign's setting wins
    async with running_server() as server:
        server.script.end_delay = 0.01
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            await choose(pilot, issue, "e-bulletin")
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT, timeout=30)
    assert server.handler.connections == 4
