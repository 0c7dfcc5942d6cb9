"""Rate limits with a fake clock: no 60-second window over the limit; the daily allowance survives a restart."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.sending.ledger import Ledger, read_records
from bulletin_tui.sending.progress import RunStatus
from bulletin_tui.sending.ratelimit import RateLimiter
from bulletin_tui.sending.transport import OutboxTransport

from ..conftest import FIXED_NOW
from .helpers import campaign, new_ledger, people


def fake_time() -> tuple[FixedClock, object]:
    clock = FixedClock(FIXED_NOW)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    return clock, sleep


def attempt_times(path: Path) -> list[float]:
    return [datetime.fromisoformat(r["at"]).timestamp() for r in read_records(path) if r.get("state") == "attempting"]


def test_limiter_counts_a_rolling_minute_and_day() -> None:
    clock = FixedClock(FIXED_NOW)
    limiter = RateLimiter(clock, per_minute=3, per_day=5)
    for _ in range(3):
        assert limiter.delay() == 0
        limiter.record()
        clock.advance(seconds=10)
    assert limiter.delay() == 30  # the first of the three leaves the window at +60 s
    clock.advance(seconds=30)
    limiter.record()
    clock.advance(seconds=60)
    limiter.record()
    assert limiter.daily_delay() == 86_400 - 120  # five sent, the first at +0 s; now +120 s
    assert RateLimiter(clock, per_minute=0, per_day=0).delay() == 0


async def test_no_minute_window_exceeds_the_limit_and_daily_budget_survives_restart(tmp_path: Path) -> None:
    clock, sleep = fake_time()
    path, log, outbox = tmp_path / "c.jsonl", tmp_path / "send-times.log", OutboxTransport(tmp_path / "out")

    def run(ledger: Ledger) -> object:
        limiter = RateLimiter(clock, per_minute=10, per_day=25, log_path=log)
        return campaign(ledger, 0, clock=clock, transport=outbox, limiter=limiter, sleep=sleep,
                        options={"concurrency": 3})

    first = run(new_ledger(path, people(40)))
    paused = await first.run()  # type: ignore[attr-defined]
    await first.close()  # type: ignore[attr-defined]
    assert paused.status is RunStatus.PAUSED and "daily sending limit" in paused.reason
    assert paused.counts == {"sent": 25, "queued": 15}
    times = attempt_times(path)
    assert all(sum(1 for t in times if start <= t < start + 60) <= 10 for start in times)
    assert times[-1] - times[0] >= 120  # 25 messages at 10 a minute need at least two full waits

    clock.advance(hours=2)  # a restart later the same day: still over the allowance
    second = run(Ledger(path))
    again = await second.run()  # type: ignore[attr-defined]
    await second.close()  # type: ignore[attr-defined]
    assert again.status is RunStatus.PAUSED and again.counts == {"sent": 25, "queued": 15}

    clock.advance(hours=22)  # the first messages are now more than a day old
    third = run(Ledger(path))
    done = await third.run()  # type: ignore[attr-defined]
    await third.close()  # type: ignore[attr-defined]
    assert done.status is RunStatus.COMPLETE and done.counts == {"sent": 40}
    times = attempt_times(path)
    assert all(sum(1 for t in times if start <= t < start + 60) <= 10 for start in times)
    assert all(sum(1 for t in times if start <= t < start + 86_400) <= 25 for start in times)
    assert len(list((tmp_path / "out").glob("*.eml"))) == 40
