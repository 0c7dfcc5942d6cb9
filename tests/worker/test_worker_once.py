"""`bulletin-tui worker --once` with the clock moved (BULLETIN_NOW): reminders at the offsets of each session's
kind, each once, never after the start; the web journal applied and its confirmation e-mail sent once; one backup a
day; the outbox transport."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from email import message_from_bytes
from pathlib import Path

from bulletin_tui.domain.clock import ANCHOR_VARIABLE, NOW_VARIABLE
from bulletin_tui.domain.times import LONDON
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.storage.backups import backup_time, list_backups
from bulletin_tui.storage.journal import Journal

from .support import cli, registrants


def at(instant: datetime, **settings: str) -> dict[str, str]:
    """This process's environment with the clock at `instant` (a timeline of its own) and these settings."""
    env = {k: v for k, v in os.environ.items() if k != ANCHOR_VARIABLE}
    return env | {NOW_VARIABLE: instant.isoformat()} | {f"BULLETIN_{k.upper()}": v for k, v in settings.items()}


def outbox_subjects(data_dir: Path) -> list[str]:
    return sorted(str(message_from_bytes(p.read_bytes())["Subject"]) for p in (data_dir / "outbox").glob("*.eml"))


def once(ctx: AppContext, instant: datetime) -> str:
    done = cli(ctx.data_dir, at(instant, bulletin__reminder_offsets='{"training": ["7d", "1d"]}'), "worker", "--once")
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_reminders_by_kind_each_once_never_after_the_start(ctx: AppContext) -> None:
    start_in = timedelta(days=10)
    course = registrants(ctx, "course", 3, kind="training", starts_in=start_in, prefix="trainee")
    start = ctx.clock.now() + start_in
    once(ctx, start - timedelta(days=7, hours=1))
    assert [s.split(":")[0] for s in outbox_subjects(ctx.data_dir)] == ["Invitation"] * 3  # the invites only
    once(ctx, start - timedelta(days=6, hours=23))
    once(ctx, start - timedelta(days=6, hours=22))  # again: nothing more
    once(ctx, start - timedelta(hours=23))
    once(ctx, start + timedelta(minutes=5))  # after the start: never
    subjects = [s.split(":")[0] for s in outbox_subjects(ctx.data_dir)]
    assert subjects.count("Reminder") == 2 * len(course) and len(subjects) == 3 * len(course)
    log = (ctx.data_dir / "logs" / "worker.log").read_text()
    assert "reminders ok: 3 queued (3 course 168h)" in log and "reminders ok: 3 queued (3 course 24h)" in log
    assert "@" not in log


def test_the_journal_is_applied_and_one_backup_is_kept_a_day(ctx: AppContext) -> None:
    add_list(ctx, "e-bulletin", "E-bulletin")
    add_subscriber(ctx, "reader@example.org", list_name="e-bulletin", source="test")
    token = unsubscribe_token(ctx, "reader@example.org", "e-bulletin")
    journal = Journal(ctx.data_dir)
    journal.write([{"id": "web-1", "at": ctx.clock.now().isoformat(), "kind": "unsubscribe", "token": token},
                   {"id": "web-2", "at": ctx.clock.now().isoformat(), "kind": "signup_requested",
                    "request": {"email": "new.reader@example.org", "lists": ["e-bulletin"]},
                    "confirm": {"subject": "Confirm your e-bulletin subscription", "intro": "Hello",
                                "link": "https://bulletin.example.org/c/abc"}}])
    journal.close()
    morning = datetime(2026, 11, 23, 8, 0, tzinfo=LONDON)
    once(ctx, morning)
    ctx.store.refresh()
    person = ctx.store.subscribers.get("reader@example.org")
    assert person is not None and person.lists["e-bulletin"].status.value == "unsubscribed"
    once(ctx, morning + timedelta(hours=3))
    once(ctx, morning + timedelta(days=1))
    days = [backup_time(b).astimezone(LONDON).date() for b in list_backups(ctx.store.db.path)]
    assert days.count(morning.date()) == 1 and days.count(morning.date() + timedelta(days=1)) == 1
    lines = (ctx.data_dir / "logs" / "worker.log").read_text().splitlines()
    assert sum(" journal ok: applied 1 signup_requested, 1 unsubscribe" in line for line in lines) == 1
    assert outbox_subjects(ctx.data_dir) == ["Confirm your e-bulletin subscription"]  # sent by the same run, once
    assert sum(" outbound ok: confirmations: 1 sent; " in line for line in lines) == 1
    backups = [line.split(" ", 2)[2] for line in lines if " backup " in line]
    assert [line.split(":")[0] for line in backups] == ["ok", "ok", "ok"]
    assert [line.startswith("ok: made ") for line in backups] == [True, False, True], backups
