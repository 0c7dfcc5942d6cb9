"""The campaigns service's handle, the one path both faces send through: run on one thread, controlled from another,
with the database writes handed back to the thread that owns the store."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, deque
from collections.abc import Callable

from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.sending.progress import CampaignResult, RunStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import runs as campaigns
from bulletin_tui.services.mailings.handle import CampaignHandle
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.services.subscribers.suppression import is_suppressed
from tests.conftest import DEMO_ISSUE

from .helpers import smtp_to
from .smtp_server import running_server

ISSUE, LIST = DEMO_ISSUE, "csis-invitations"


async def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def run_in_thread(handle: CampaignHandle) -> tuple[threading.Thread, list[CampaignResult]]:
    results: list[CampaignResult] = []
    thread = threading.Thread(target=lambda: results.append(asyncio.run(handle.run())))
    thread.start()
    return thread, results


async def test_paused_and_resumed_from_another_thread_with_writes_handed_back(demo_ctx: AppContext) -> None:
    people = audience(demo_ctx, LIST)
    victim = people[-1].email
    queued_writes: deque[Callable[[], None]] = deque()
    async with running_server() as server:
        server.script.end_delay = 0.02
        server.script.rcpt[victim] = [f"550 5.1.1 <{victim}>: user unknown"]
        handle = CampaignHandle(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0, concurrency=1,
                                transport=smtp_to(server.port), write_on_owner=queued_writes.append)
        thread, results = run_in_thread(handle)
        await wait_until(lambda: len(server.messages) >= 3)
        handle.pause()
        assert handle.paused
        await asyncio.sleep(0.2)
        held = len(server.messages)
        await asyncio.sleep(0.2)
        assert len(server.messages) == held < len(people)
        handle.resume()
        await wait_until(lambda: not thread.is_alive())
    [result] = results
    assert result.status is RunStatus.COMPLETE and not handle.running
    assert set(Counter(r for m in server.messages for r in m.rcpt_tos).values()) == {1}
    # the sending thread wrote nothing to the store: the suppression and "sent" wait for the owner
    assert demo_ctx.store.issues.get(ISSUE).status is not IssueStatus.SENT  # type: ignore[union-attr]
    assert not is_suppressed(demo_ctx, victim) and len(queued_writes) == 2
    while queued_writes:
        queued_writes.popleft()()
    assert demo_ctx.store.issues.get(ISSUE).status is IssueStatus.SENT  # type: ignore[union-attr]
    assert is_suppressed(demo_ctx, victim)


async def test_stop_before_the_campaign_opens_sends_nothing_and_can_be_resumed(demo_ctx: AppContext) -> None:
    people = audience(demo_ctx, LIST)
    async with running_server() as server:
        handle = CampaignHandle(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0,
                                transport=smtp_to(server.port))
        handle.stop()
        stopped = await handle.run()
        assert stopped.status is RunStatus.STOPPED and server.messages == []
        assert campaigns.campaign_status(demo_ctx, f"bulletin-{ISSUE}-{LIST}").to_send == len(people)
        resumed = await CampaignHandle(demo_ctx, ISSUE, LIST, resume=True, rate_per_minute=0,
                                       transport=smtp_to(server.port)).run()
    assert resumed.status is RunStatus.COMPLETE and resumed.counts == {"sent": len(people)}
    assert demo_ctx.store.issues.get(ISSUE).status is IssueStatus.SENT  # type: ignore[union-attr]
