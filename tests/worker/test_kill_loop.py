"""SIGKILL the worker at random moments, again and again, while it sends a scheduled bulletin (two lists, one
campaign) and session mail (invites, and reminders at the offsets of each session's kind), then let one finish.

Afterwards nobody got anything twice and nobody was skipped: every recipient of every message has it exactly once,
except a message that was in flight at a kill (its `attempting` durable, no reply recorded). Such a message is
`uncertain` in its ledger (shown to the operator, never resent by itself: docs/worker.md); the server may or may not
have it, and the test counts both. No SMTP client can tell which after a kill, so that is the bound: at most one
per connection per kill."""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from datetime import timedelta

import pytest

from bulletin_tui.sending.ledger import State, fold, read_records
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.runs import ledger_path
from bulletin_tui.services.mailings.session_delivery import LEDGER_NAME
from bulletin_tui.services.schedule.records import ScheduleState
from bulletin_tui.services.sessions.mail import mail_queue
from tests.sending.smtp_server import threaded_server

from .support import (
    clean_issue,
    pending_session_mail,
    registrants,
    schedule_due,
    scheduled,
    start_worker,
    wait_until,
    worker_env,
)
from .test_worker_process import audience_of

KILLS = 24
CONNECTIONS = 2
pytestmark = pytest.mark.slow  # about 40 s: two dozen worker lives and the one that finishes


def all_done(ctx: AppContext, schedule_id: str) -> bool:
    return scheduled(ctx, schedule_id).state is ScheduleState.DONE and pending_session_mail(ctx) == 0


def kind_of(subject: str) -> str:
    return "reminder" if subject.startswith("Reminder") else "bulletin" if "e-Bulletin" in subject else "invite"


def test_sigkill_at_random_moments_each_message_once_nobody_skipped(demo_ctx: AppContext) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 10_000))
    rng = random.Random(seed)
    clean_issue(demo_ctx)
    trainees = registrants(demo_ctx, "training-soon", 24, kind="training", starts_in=timedelta(days=5),
                           prefix="trainee")  # 7-day reminder due (offsets per kind), the 1-day one not yet
    csis = registrants(demo_ctx, "csis-tomorrow", 16, kind="CSIS", starts_in=timedelta(hours=20),
                       prefix="csis")  # the default 24-hour reminder is due
    entry = schedule_due(demo_ctx)
    bulletin_to = audience_of(demo_ctx)
    data = demo_ctx.data_dir
    started = time.monotonic()
    with threaded_server() as server:
        server.script.end_delay = 0.1  # the server takes a moment: the work spans most of the lives
        env = worker_env(server.port, bulletin__reminder_offsets='{"training": ["7d", "1d"]}',
                         limits__concurrency=str(CONNECTIONS), worker__heartbeat_seconds="1")
        arrived = []  # messages the server had at each kill
        for _ in range(KILLS):
            worker, before, moment = start_worker(data, env), len(server.messages), rng.random()
            if moment < 0.25:  # any moment, starting up included
                time.sleep(rng.uniform(0.05, 1.2))
            else:  # once it is up and doing its jobs, however slowly this machine starts a process
                worker.wait_running(data)
                if moment >= 0.5 and not all_done(demo_ctx, entry.id):  # then once its messages flow
                    wait_until(lambda before=before: len(server.messages) > before, 30, every=0.005)
                time.sleep(rng.uniform(0.0, 0.5))
            worker.kill()
            arrived.append(len(server.messages))
        finisher = start_worker(data, env)
        finisher.wait_running(data)
        wait_until(lambda: all_done(demo_ctx, entry.id), 60)
        assert finisher.stop() == 0, finisher.output()
    took = time.monotonic() - started

    received: Counter[tuple[str, str]] = Counter()
    for message in server.messages:
        kind = kind_of(str(message.parsed()["Subject"]))
        received.update((kind, rcpt) for rcpt in message.rcpt_tos)
    assert max(received.values()) == 1, [k for k, n in received.items() if n > 1]  # nobody twice

    bulletin = fold(read_records(ledger_path(demo_ctx, entry.campaign_id)))[0]
    assert {p.email for p in bulletin.values()} == bulletin_to  # everyone snapshotted, nobody skipped
    uncertain = {p.email for p in bulletin.values() if p.state is State.UNCERTAIN}
    assert {p.state for p in bulletin.values()} <= {State.SENT, State.UNCERTAIN}
    for person in bulletin.values():
        if person.state is State.SENT:
            assert received["bulletin", person.email] == 1
    assert {e for e in bulletin_to if received["bulletin", e] == 0} <= uncertain

    demo_ctx.store.refresh()
    queue = {m.id: m for m in mail_queue(demo_ctx)}
    mail_states = fold(read_records(demo_ctx.data_dir / "ledgers" / LEDGER_NAME))[0]
    people = {r.id: r.email for r in demo_ctx.store.registrations.all()}
    expected_mail = {("invite", a) for a in trainees + csis} | {("reminder", a) for a in trainees + csis}
    got_mail = {k for k in received if k[0] != "bulletin"}
    assert got_mail <= expected_mail
    reminders = [m for m in queue.values() if m.kind.value == "reminder"]
    assert sorted(people[m.registration_id] for m in reminders) == sorted(trainees + csis)  # queued once each
    assert {m.id.rpartition("-")[2] for m in reminders} == {"168h", "24h"}
    mail_uncertain = {(m.kind.value, people[m.registration_id]) for m in queue.values()
                      if m.outcome.value == "uncertain"}
    assert {m.outcome.value for m in queue.values()} <= {"sent", "uncertain"}
    assert expected_mail - got_mail <= mail_uncertain
    in_flight = (State.UNCERTAIN, State.ATTEMPTING)  # a kill's attempt is shown uncertain in the queue
    assert all(mail_states[m.id].state is State.SENT or (mail_states[m.id].state in in_flight and
               m.outcome.value == "uncertain") for m in queue.values())

    total = len(bulletin_to) + len(expected_mail)
    mid_work = sum(1 for n in arrived if n < total - len(uncertain) - len(mail_uncertain))
    sending = sum(1 for before, after in zip([0, *arrived], arrived, strict=False) if after > before)
    assert mid_work >= KILLS // 2, arrived  # most kills came while there was still mail to send
    assert sending >= KILLS // 3, arrived  # and many of those lives were killed while sending
    lost = len(uncertain) + len(mail_uncertain)
    assert lost <= KILLS * (CONNECTIONS + 1)  # at most the messages in flight at each kill
    print(f"\nseed {seed}: {KILLS} SIGKILLs ({mid_work} before the work was done, {sending} in a life that was "
          f"sending) in {took:.1f} s; bulletin "
          f"{len(bulletin_to)} recipients: {len(bulletin_to) - len(uncertain)} sent once, {len(uncertain)} uncertain "
          f"({sum(received['bulletin', e] for e in uncertain)} of them reached the server); session mail "
          f"{len(expected_mail)}: {len(expected_mail) - len(mail_uncertain)} once, {len(mail_uncertain)} uncertain; "
          "nobody twice")
