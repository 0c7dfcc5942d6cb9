"""The SMTP server goes away mid-send (#11 item 18): an honest status, no one's retries used up, a pause (exit 4)
after a configurable time without any delivery, estimates that include known waits, never a negative count."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.sending.ledger import Ledger, read_records
from bulletin_tui.sending.progress import Progress, RunStatus
from tests.conftest import DEMO_ISSUE, CliRun

from .helpers import campaign, new_ledger, people
from .smtp_server import running_server, threaded_server

START = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def moving_clock() -> tuple[FixedClock, object]:
    """A clock that only moves when the runner sleeps: minutes of backoff pass in milliseconds."""
    clock = FixedClock(START)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    return clock, sleep


async def test_server_stopped_mid_run_waits_honestly_then_pauses_and_resume_finishes(tmp_path: Path) -> None:
    path, events = tmp_path / "c.jsonl", []
    clock, sleep = moving_clock()
    slow = {"retry_base": 30.0, "retry_cap": 1800.0, "concurrency": 1, "max_retries": 1}
    async with running_server() as server:

        def watch(progress: Progress) -> None:
            events.append(progress)
            if progress.counts.get("sent") == 5 and server.server is not None and server.server.is_serving():
                server.stop()

        runner = campaign(new_ledger(path, people(20)), server.port, clock=clock, sleep=sleep,
                          on_progress=watch, options=slow)
        result = await runner.run()
        await runner.close()
    assert result.status is RunStatus.PAUSED and result.exit_code == 4
    assert result.reason.startswith("no message delivered for 10 min: server unreachable (connection refused)")
    assert "failed" not in result.counts and result.counts.get("sent") == 5 and len(server.messages) == 5
    waits = [e for e in events if e.state == "waiting"]
    assert any(e.reason == "server unreachable (connection refused), retrying in 60 s" for e in waits)
    assert all(e.eta_seconds and e.eta_seconds >= 30 and "about 0 s" not in e.line() for e in waits)
    assert all(0 <= e.done <= e.total for e in events)
    assert 600 <= (clock.now() - START).total_seconds() <= 660
    gave_up = [r for r in read_records(path) if r.get("gave_up")]
    assert gave_up == []  # an unreachable server uses up nobody's retries

    async with running_server() as back:
        again = campaign(Ledger(path), back.port)
        done = await again.run()
        await again.close()
    assert done.status is RunStatus.COMPLETE and done.counts == {"sent": 20}
    assert len(back.messages) == 15 and set(back.handler.by_recipient().values()) == {1}


async def test_a_deferred_first_message_never_makes_the_count_negative(tmp_path: Path) -> None:
    events: list[Progress] = []
    async with running_server() as server:
        server.script.rcpt["r001@example.org"] = ["451 4.3.0 try later"]
        runner = campaign(new_ledger(tmp_path / "c.jsonl", people(30)), server.port, on_progress=events.append,
                          options={"concurrency": 1})
        assert (await runner.run()).counts == {"sent": 30}
        await runner.close()
    assert all(0 <= e.done <= e.total and e.pending <= e.total for e in events)
    assert not any(e.line().startswith("-") for e in events)


async def test_the_estimate_includes_a_90_s_backoff(tmp_path: Path) -> None:
    events: list[Progress] = []
    clock, sleep = moving_clock()
    async with running_server() as server:
        server.script.greeting = ["421 4.3.2 too busy, come back later"]
        runner = campaign(new_ledger(tmp_path / "c.jsonl", people(5)), server.port, clock=clock, sleep=sleep,
                          on_progress=events.append, options={"retry_base": 90.0, "retry_cap": 90.0, "concurrency": 1})
        assert (await runner.run()).counts == {"sent": 5}
        await runner.close()
    [wait] = [e for e in events if e.state == "waiting"]
    assert wait.reason == "server trouble: 421 4.3.2 too busy, come back later (connect), retrying in 90 s"
    assert wait.eta_seconds is not None and wait.eta_seconds >= 90 and "about 90 s left" in wait.line()


def test_estimates_round_up_and_never_read_zero() -> None:
    progress = Progress(total=10, counts={"sent": 9}, pending=1, rate=50.0, eta_seconds=0.02, state="running")
    assert "about 1 s left" in progress.line() and "about 0 s" not in progress.line()
    assert Progress(10, {}, 10, 0.0, 376.0, "running").eta_text == "about 7 min left"
    assert Progress(10, {}, 11, 0.0, None, "running").done == 0


def test_cli_pauses_with_exit_4_after_the_configured_time_without_delivery(
        cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("demo")
    monkeypatch.setenv("BULLETIN_LIMITS__UNREACHABLE_PAUSE_MINUTES", "0.02")  # 1.2 s instead of 10 min
    with threaded_server() as server:

        def vanish_after_ten(_received: object) -> None:
            if len(server.messages) == 10 and server.server is not None:
                server.server.close()  # no new connections; the open one is dropped at the next MAIL FROM

        server.script.on_message = vanish_after_ten
        server.script.mail[10] = "drop"
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        out = cli("send", DEMO_ISSUE, "--list", "e-bulletin", "--force", "--rate-per-minute", "0",
                  "--concurrency", "1", *smtp, code=4)
    assert "Mailing paused: no message delivered for 2 s: server unreachable (connection refused)" in out
    assert "(2 deferred, 228 queued, 10 sent of 240)" in out and len(server.messages) == 10


async def test_rate_limit_waits_are_named_and_counted_in_the_estimate(tmp_path: Path) -> None:
    from bulletin_tui.sending.ratelimit import RateLimiter

    events: list[Progress] = []
    clock, sleep = moving_clock()
    async with running_server() as server:
        runner = campaign(new_ledger(tmp_path / "c.jsonl", people(6)), server.port, clock=clock, sleep=sleep,
                          on_progress=events.append, limiter=RateLimiter(clock, per_minute=2, per_day=0))
        assert (await runner.run()).counts == {"sent": 6}
        await runner.close()
    waits = [e for e in events if e.state == "waiting"]
    assert waits and all(e.reason.startswith("rate limit, next message in ") for e in waits)
    assert all(e.eta_seconds is not None and e.eta_seconds >= e.pending * 30 for e in waits)
    assert 120 <= (clock.now() - START).total_seconds() <= 130  # 6 messages at 2 a minute
