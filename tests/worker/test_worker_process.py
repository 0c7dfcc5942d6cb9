"""The worker as a process of its own: a scheduled send goes out through it to a real SMTP stand-in, once; one
worker per folder; the heartbeat and `status --worker`; SIGTERM mid-send pauses between messages (exit 0, the
ledger intact) and the next worker finishes the send; `logs/worker.log` has one line per job and no address."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime

from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.sending.ledger import State, fold, read_records
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.audience import campaign_audience, choose_lists
from bulletin_tui.services.mailings.runs import ledger_path
from bulletin_tui.services.schedule.records import ScheduleState
from tests.sending.smtp_server import threaded_server

from .support import ISSUE, LISTS, clean_issue, cli, schedule_due, scheduled, start_worker, wait_until, worker_env


def audience_of(ctx: AppContext) -> set[str]:
    people, _ = campaign_audience(ctx, ISSUE, choose_lists(ctx, LISTS), campaign_id=f"bulletin-{ISSUE}-x")
    return {p.email for p in people}


def heartbeat(ctx: AppContext) -> dict:
    return json.loads((ctx.data_dir / "worker" / "status.json").read_text())


def test_a_scheduled_send_goes_out_once_through_the_worker_and_status_says_so(demo_ctx: AppContext) -> None:
    clean_issue(demo_ctx)
    entry = schedule_due(demo_ctx)
    expected = audience_of(demo_ctx)
    assert 100 <= len(expected) <= 200
    data = demo_ctx.data_dir
    with threaded_server() as server:
        env = worker_env(server.port, worker__heartbeat_seconds="1")
        worker = start_worker(data, env)
        wait_until(lambda: scheduled(demo_ctx, entry.id).state is ScheduleState.DONE, 60)
        healthy = cli(data, env, "status", "--worker")
        assert healthy.returncode == 0 and f"worker pid {worker.process.pid} running" in healthy.stdout
        second = cli(data, env, "worker")
        assert second.returncode == 1
        assert second.stderr.strip().splitlines()[-1].startswith(f"bulletin-tui: a worker already runs for {data}: "
                                                                 f"pid {worker.process.pid} on ")
        shown = cli(data, env, "status")
        assert f"Worker: worker pid {worker.process.pid} running since" in shown.stdout
        assert "  scheduled: last " in shown.stdout and "done: complete (" in shown.stdout
        assert worker.stop() == 0, worker.output()
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    assert set(received) == expected and set(received.values()) == {1}
    done = scheduled(demo_ctx, entry.id)
    assert done.counts == {"sent": len(expected)} and done.finished_at is not None
    assert demo_ctx.store.issues.get(ISSUE).status is IssueStatus.SENT  # type: ignore[union-attr]
    listed = cli(data, env, "send", "scheduled")
    assert listed.returncode == 0 and f"#{entry.id}" in listed.stdout and " done " in listed.stdout

    status = heartbeat(demo_ctx)
    assert status["pid"] == worker.process.pid and status["state"] == "stopped"
    datetime.fromisoformat(status["started"]), datetime.fromisoformat(status["heartbeat"])
    assert status["jobs"]["scheduled"]["last"]["outcome"].startswith(f"ok: #{entry.id} {entry.campaign_id} done")
    assert status["jobs"]["inbox"] == {"enabled": False, "off": "no [imap] host set"}
    stale = cli(data, env, "status", "--worker")
    assert stale.returncode == 1 and len((stale.stdout + stale.stderr).strip().splitlines()) == 1
    assert "no worker running" in stale.stderr

    log = (data / "logs" / "worker.log").read_text()
    jobs = [line.split()[1] for line in log.splitlines()]
    assert {"journal", "reminders", "outbound", "scheduled", "backup"} <= set(jobs)
    assert "@" not in log and "example" not in log  # counts and ids only, never an address
    assert (data / "logs" / "worker.log").stat().st_mode & 0o777 == 0o600


def test_sigterm_mid_send_pauses_between_messages_and_the_next_worker_finishes(demo_ctx: AppContext) -> None:
    clean_issue(demo_ctx)
    entry = schedule_due(demo_ctx)
    expected = audience_of(demo_ctx)
    data, ledger = demo_ctx.data_dir, ledger_path(demo_ctx, entry.campaign_id)
    with threaded_server() as server:
        server.script.end_delay = 0.04  # about 5 s for the whole send, one connection
        env = worker_env(server.port, worker__heartbeat_seconds="0.5", limits__concurrency="1")
        worker = start_worker(data, env)
        wait_until(lambda: len(server.messages) >= 20, 60, every=0.01)
        first = heartbeat(demo_ctx)
        time.sleep(1.6)
        during = heartbeat(demo_ctx)
        assert during["heartbeat"] > first["heartbeat"]  # the heartbeat goes on during a long send
        assert during["current"].startswith(f"sending #{entry.id} {entry.campaign_id}: ")
        assert worker.stop(timeout=10) == 0, worker.output()
        stopped_at = len(server.messages)
        states, _ = fold(read_records(ledger))
        tally = Counter(s.state for s in states.values())
        assert set(tally) == {State.SENT, State.QUEUED}, tally  # nothing left attempting: no one uncertain
        assert tally[State.SENT] == stopped_at and 0 < stopped_at < len(expected)
        held = scheduled(demo_ctx, entry.id)
        assert held.state is ScheduleState.STARTED and "stopped with the worker" in held.note

        server.script.end_delay = 0
        again = start_worker(data, env)
        wait_until(lambda: scheduled(demo_ctx, entry.id).state is ScheduleState.DONE, 60)
        assert again.stop() == 0
    received = Counter(rcpt for m in server.messages for rcpt in m.rcpt_tos)
    assert set(received) == expected and set(received.values()) == {1}
    print(f"SIGTERM after {stopped_at} of {len(expected)}: paused, resumed, each once")
