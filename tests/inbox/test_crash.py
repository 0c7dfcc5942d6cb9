"""SIGKILL an `inbox fetch` at random moments (>= 20 times): every message is applied exactly once."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.inbox.records import MessageState, bounce_scores, inbox_actions, inbox_messages
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber

from .conftest import TeamMailbox as Dovecot
from .conftest import write_sent_ledger

ROOT = Path(__file__).parents[2]
PEOPLE = 2000
WAVE = 60


def bounce_for(address: str, number: int) -> bytes:
    """A minimal RFC 3464 report for one address, returning the headers of the message we sent them."""
    return (f"From: MAILER-DAEMON@mx.example.org\nTo: kentcommunitysafetyteam@kent.gov.uk\n"
            f"Subject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce-{number}@mx.example.org>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
            f"--b\nContent-Type: text/plain\n\n<{address}>: 550 5.1.1 User unknown\n\n"
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
            f"Final-Recipient: rfc822; {address}\nAction: failed\nStatus: 5.1.1\n\n"
            f"--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: {sent_id(number)}\nTo: {address}\n\n"
            "--b--\n").encode()


def sent_id(number: int) -> str:
    return f"<sent-{number}@kent.gov.uk>"


@pytest.mark.slow
def test_sigkill_during_fetch_applies_every_message_once(ctx: AppContext, dovecot: Dovecot) -> None:
    """Bounces arrive in waves (a new wave whenever the inbox has been emptied, so a fast machine still has work
    to be interrupted); a child runs `inbox fetch` and is killed at a random moment, at least 20 times, at least 3
    of them part-way through a pass. Then one last pass: every message recorded once, every effect once."""
    add_list(ctx, "e-bulletin", "Community Safety e-Bulletin")
    people = [f"person{n:04d}@example.org" for n in range(PEOPLE)]
    for address in people:
        add_subscriber(ctx, address, list_name="e-bulletin", source="test")
    write_sent_ledger(ctx, "2026-12-e-bulletin", {address: sent_id(n) for n, address in enumerate(people)})
    ctx.close()
    rng = random.Random(20261127)
    command = [sys.executable, "-m", "tests.inbox.kill_child", str(ctx.data_dir), str(dovecot.port), dovecot.user,
               dovecot.password]
    delivered, recorded, kills, partial, runs = 0, 0, 0, 0, 0
    while (kills < 20 or partial < 3) and runs < 120:
        if recorded == delivered and delivered < PEOPLE:  # the inbox is empty: the next wave arrives
            wave = people[delivered:delivered + WAVE]
            dovecot.deliver_many([bounce_for(address, delivered + n) for n, address in enumerate(wave)])
            delivered += len(wave)
        runs += 1
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 1.8))
        if child.poll() is None:
            child.kill()
            kills += 1
        child.wait()
        with open_context(ctx.settings, read_only=True) as between:
            before, recorded = recorded, len(inbox_messages(between))
        partial += before < recorded < delivered  # this kill interrupted a pass that had made progress
    assert kills >= 20 and partial >= 3, (kills, partial, runs)
    final = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    with open_context(ctx.settings, read_only=True) as after:
        recorded_messages = inbox_messages(after).all()
        assert len(recorded_messages) == delivered
        assert all(m.state is MessageState.APPLIED and m.kind == "bounce" for m in recorded_messages)
        per_person = [a.person for a in inbox_actions(after)]
        assert sorted(per_person) == sorted(people[:delivered])  # one action each: applied exactly once
        assert all(s.hard == 1 and s.score == 1.0 for s in bounce_scores(after))
    assert not list((dovecot.maildir / "new").iterdir()) and not list((dovecot.maildir / "cur").iterdir())
