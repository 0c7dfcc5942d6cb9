"""A scheduled send stopped by the mailbox's daily budget waits (paused, its retry time when the rolling day frees
places) and goes on when the budget allows, until everyone has it once; a claim is made once, in a write."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bulletin_tui.config import LimitSettings, SmtpSettings
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.schedule.records import ScheduleState
from bulletin_tui.services.schedule.sending import claim_next, send_claimed
from tests.sending.smtp_server import running_server

from .support import clean_issue, schedule_due

PER_DAY = 30


async def test_the_daily_budget_pauses_a_scheduled_send_and_it_goes_on_when_it_allows(demo_ctx: AppContext,
                                                                                        clock) -> None:
    clean_issue(demo_ctx)
    entry = schedule_due(demo_ctx, ["csis-invitations"])  # 75 people at 30 a day: three days
    async with running_server() as server:
        demo_ctx.settings = demo_ctx.settings.model_copy(update={
            "smtp": SmtpSettings(host="127.0.0.1", port=server.port, security="none"),
            "limits": LimitSettings(rate_per_minute=0, rate_per_day=PER_DAY)})
        rounds = []
        while True:
            claimed = claim_next(demo_ctx, "worker-1")
            if claimed is None:
                assert rounds and rounds[-1].state is ScheduleState.PAUSED
                assert claim_next(demo_ctx, "worker-1") is None  # still not due: nothing claimed twice
                clock.at = rounds[-1].retry_at
                continue
            assert claimed.id == entry.id and claimed.state is ScheduleState.STARTED and claimed.pid
            ended = await send_claimed(demo_ctx, claimed, paused_retry=timedelta(hours=1))
            rounds.append(ended)
            if ended.state is ScheduleState.DONE:
                break
            assert ended.state is ScheduleState.PAUSED and "daily sending limit reached" in ended.note
            assert timedelta(hours=24) <= ended.retry_at - clock.now() <= timedelta(hours=24, minutes=2)
    assert [r.counts.get("sent", 0) for r in rounds] == [30, 60, 75]
    assert rounds[-1].counts == {"sent": 75} and rounds[-1].note == "complete (75 sent of 75)"
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    assert len(received) == 75 and set(received.values()) == {1}
