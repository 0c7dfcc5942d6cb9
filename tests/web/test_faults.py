"""The journal under faults, through the real `serve` and CLI: a torn tail, a full disk (a real small tmpfs), a
thousand malformed lines, a replayed link; every 200 is applied and nothing else is (issue #22, items 1, 6, 8)."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import orjson

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import open_context
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.services.web.journal_apply import applied_entries, apply_pending
from bulletin_tui.storage.journal import QUARANTINE_NAME, all_entries, journal_path
from tests.conftest import FIXED_NOW
from tests.small_disk import grow, small_disk

from .conftest import PEOPLE, reopen, token_for
from .server import ROOT, post, running_server

ONE_CLICK = b"List-Unsubscribe=One-Click"


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def apply_now(data_dir: Path) -> None:
    """`web-apply` as a writer would run it (retried while serve's own applier holds the lock)."""
    for _ in range(50):
        done = cli(data_dir, "web-apply")
        if done.returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError(done.stderr)


def subscribed(settings: Settings, email: str) -> bool:
    with reopen(settings) as ctx:
        person = ctx.store.subscribers.get(email)
        return person is not None and person.is_subscribed("e-bulletin")


def test_a_torn_tail_is_cut_so_the_next_answered_request_is_applied(web_data: Path, settings: Settings,
                                                                      tmp_path: Path) -> None:
    journal = journal_path(web_data)
    journal.parent.mkdir(mode=0o700, exist_ok=True)
    journal.write_bytes(b'{"id":"cut-short","at":"2026-11-22T09:00:00+00:00","kind":"unsubscribe","tok')  # power cut
    token = token_for(web_data, settings, PEOPLE[1])
    with running_server(web_data, tmp_path / "serve.log") as server:
        status, body = post(f"{server.url}/u/{token}", ONE_CLICK)
    assert status == 200 and "You will no longer receive" in body
    assert journal.read_bytes().count(b"\n") == 1 and [e["token"] for e in all_entries(web_data)] == [token]
    apply_now(web_data)
    assert not subscribed(settings, PEOPLE[1])


def test_a_full_disk_refuses_with_503_and_every_200_is_applied(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    people = [f"full{n:02d}@example.org" for n in range(60)]
    with open_context(settings, create=True) as ctx:
        from bulletin_tui.services.subscribers.lists import add_list

        add_list(ctx, "e-bulletin", "E-bulletin")
        for address in people:
            add_subscriber(ctx, address, list_name="e-bulletin", source="test")
        tokens = {unsubscribe_token(ctx, address, "e-bulletin"): address for address in people}
    answers: dict[str, int] = {}
    with small_disk(journal_path(settings.data_dir).parent, "8k") as disk, \
            running_server(settings.data_dir, tmp_path / "serve.log") as server:

        def one(token: str) -> None:
            answers[token] = post(f"{server.url}/u/{token}", ONE_CLICK)[0]

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(one, tokens))
        journalled = [e["token"] for e in all_entries(settings.data_dir)]
        server.process.terminate()
        server.process.wait(10)
        log = server.output()
        grow(disk, "1m")
        apply_now(settings.data_dir)  # (the journal is on the small disk)
    ok = {t for t, status in answers.items() if status == 200}
    assert set(answers.values()) == {200, 503}, answers  # the disk filled part-way through
    assert set(journalled) == ok and len(journalled) == len(ok)  # every 200 whole in the journal, nothing else
    assert "Traceback" not in log and "could not be written" in log
    with reopen(settings) as ctx:
        left = {p.email for p in ctx.store.subscribers if not p.is_subscribed("e-bulletin")}
    assert left == {tokens[t] for t in ok}


def test_a_thousand_malformed_lines_are_set_aside_with_one_warning(web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[2])
    journal = journal_path(web_data)
    journal.parent.mkdir(mode=0o700, exist_ok=True)
    bad = [{"kind": "unsubscribe"}, [], {"id": 7, "at": "x", "kind": "unsubscribe", "token": "t"},
           {"id": "a", "at": "2026-11-22T09:00:00+00:00", "kind": "preferences", "token": "t", "leave_tokens": [1]},
           {"id": "b", "at": "yesterday", "kind": "unsubscribe", "token": "t"},
           {"id": "c", "at": "2026-11-22T09:00:00+00:00", "kind": "signup_confirmed", "request": {"email": "x"}}]
    lines = [orjson.dumps(bad[n % len(bad)]) for n in range(999)] + [b"not json at all"]
    good = {"id": "good", "at": "2026-11-22T09:00:00+00:00", "kind": "unsubscribe", "token": token}
    journal.write_bytes(b"\n".join([*lines[:500], orjson.dumps(good), *lines[500:]]) + b"\n")
    done = cli(web_data, "subscribers", "list-add", "extra", "--name", "Extra")  # any writing command
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "set aside" in line]
    assert len(warnings) == 1 and "1000 line(s)" in warnings[0] and "Traceback" not in done.stderr
    assert not subscribed(settings, PEOPLE[2])  # the good entry among them was applied
    assert len((journal.parent / QUARANTINE_NAME).read_bytes().splitlines()) == 1000
    assert [e["id"] for e in all_entries(web_data)] == ["good"]
    again = cli(web_data, "subscribers", "list-add", "extra2", "--name", "Extra 2")
    assert again.returncode == 0 and "set aside" not in again.stderr


def test_replaying_one_link_300_times_adds_nothing_after_the_first(web_data: Path, settings: Settings,
                                                                  tmp_path: Path) -> None:
    token = token_for(web_data, settings, PEOPLE[3])
    journal = journal_path(web_data)
    with running_server(web_data, tmp_path / "serve.log") as server:
        assert post(f"{server.url}/u/{token}", ONE_CLICK)[0] == 200
        size = journal.stat().st_size
        apply_now(web_data)
        database = (web_data / "bulletin.json").stat().st_size
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: post(f"{server.url}/u/{token}", ONE_CLICK)[0], range(300)))
        assert set(statuses) == {200}
        assert journal.stat().st_size == size
        time.sleep(6)  # a round of serve's own applier
        apply_now(web_data)
    assert (web_data / "bulletin.json").stat().st_size == database


def test_applied_entries_and_stale_requests_leave_the_journal_after_seven_days(web_data: Path,
                                                                                settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[0])
    old, now = (FIXED_NOW - timedelta(days=12)).isoformat(), FIXED_NOW.isoformat()
    request = {"email": "someone@example.org", "lists": ["e-bulletin"], "name": "Some One"}
    entries = [{"id": "old-unsub", "at": old, "kind": "unsubscribe", "token": token},
               {"id": "old-request", "at": old, "kind": "signup_requested", "request": request},
               {"id": "new-request", "at": now, "kind": "signup_requested", "request": request}]
    journal = journal_path(web_data)
    journal.parent.mkdir(mode=0o700, exist_ok=True)
    journal.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries))
    apply_now(web_data)
    assert [e["id"] for e in all_entries(web_data)] == ["new-request"]  # applied and stale ones gone
    assert not subscribed(settings, PEOPLE[0])
    with open_context(settings, clock=FixedClock(FIXED_NOW + timedelta(days=8))) as ctx:
        assert "old-unsub" in applied_entries(ctx)  # its record outlives the entry by the same 7 days
        apply_pending(ctx)
        assert "old-unsub" not in applied_entries(ctx)
        assert [e["id"] for e in all_entries(web_data)] == []
