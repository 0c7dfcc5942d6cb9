"""The send screen shows the sending mailbox's budget left today before and during a send, counting what other
processes sent (issue #23 item 2)."""

from __future__ import annotations

from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.budget import LOG_NAME, mailbox_key
from tests.sending.smtp_server import running_server

from .conftest import SIZE
from .test_send_screen import choose, clean_issue, smtp_factory, wait_until


async def test_the_budget_left_today_is_shown_before_and_during_a_send(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    demo_ctx.settings.limits.rate_per_day = 100
    sent_earlier = demo_ctx.clock.now().timestamp() - 3600  # another process sent 40 an hour ago
    async with running_server() as server:
        smtp = demo_ctx.settings.smtp
        smtp.host, smtp.port, smtp.security = "127.0.0.1", server.port, "none"
        key = mailbox_key(smtp.host, smtp.username)
        (ledger_dir(demo_ctx.data_dir) / LOG_NAME).write_text(f"{sent_earlier:.3f} {key}\n" * 40)
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await choose(pilot, issue)
            status = str(screen.query_one("#send-status").render())
            assert "Budget left today: 60 of 100 (rolling 24 hours). 75 to send at 100 a day: 60 go now, the rest " \
                   "from 09:00 tomorrow as the window frees." in " ".join(status.split())
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: screen.campaign is None and screen.last_progress is not None
                             and screen.last_progress.state == "paused")
            await pilot.pause(1.1)  # the budget is read again at most once a second
            screen.show_progress(screen.last_progress)
            line = " ".join(str(screen.query_one("#progress-line").render()).split())
            assert "budget left today: 0 of 100 (rolling 24 hours)" in line and "daily sending limit" in line
    assert len(server.messages) == 60  # the day's budget, then the run paused
