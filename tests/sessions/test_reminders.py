"""Reminders: due N hours before, never after the start, never twice, only the nearest missed window."""

from __future__ import annotations

from datetime import timedelta

from bulletin_tui.services.mailings.session_delivery import deliver_pending
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import MailOutcome
from bulletin_tui.services.sessions.reminders import queue_reminders


def test_reminder_due_once_within_the_window(ctx, clock, make_session):
    make_session("s1", start="2026-11-23 12:30", end="13:30")  # 26.5 h after the fixed clock (GMT)
    registrations.register(ctx, "s1", "a@example.org")
    deliver_pending(ctx)
    assert queue_reminders(ctx, [24]) == []  # not yet
    clock.advance(hours=2, minutes=29)
    assert queue_reminders(ctx, [24]) == []  # one minute to go
    clock.advance(minutes=1)
    [queued] = queue_reminders(ctx, [24])
    assert (queued.session_slug, queued.hours) == ("s1", 24)
    assert queue_reminders(ctx, [24]) == []  # never twice
    [sent] = deliver_pending(ctx)
    assert sent.outcome is MailOutcome.SENT and b"Reminder: " in sent.message
    clock.advance(hours=1)
    assert queue_reminders(ctx, [24]) == [] and deliver_pending(ctx) == []


def test_never_after_the_start_even_if_queued_before(ctx, clock, make_session):
    make_session("s1", start="2026-11-22 12:00", end="13:00")
    clock.advance(hours=-30)
    registrations.register(ctx, "s1", "a@example.org")
    clock.advance(hours=30)
    [queued] = queue_reminders(ctx, [24])
    clock.advance(hours=2, minutes=1)  # the session has started before the queue was delivered
    results = deliver_pending(ctx)
    assert [(r.kind.value, r.outcome.value) for r in results] == [("invite", "sent"), ("reminder", "skipped")]
    assert "never go after the start" in results[1].reply
    assert queue_reminders(ctx, [24]) == []
    del queued


def test_only_confirmed_people_registered_before_the_window(ctx, clock, make_session):
    make_session("s1", start="2026-11-23 09:00", end="10:00", capacity=1)
    clock.advance(hours=-48)
    registrations.register(ctx, "s1", "in@example.org")
    registrations.register(ctx, "s1", "waiting@example.org")
    clock.advance(hours=47)  # 22 h before: inside the 24 h window
    registrations.register(ctx, "s1", "late@example.org")  # waitlisted anyway
    queued = queue_reminders(ctx, [24, 2])
    assert [q.mail.registration_id for q in queued] == [registrations.registration_id("s1", "in@example.org")]
    clock.at = sessions.get_session(ctx, "s1").start - timedelta(hours=1)
    [second] = queue_reminders(ctx, [24, 2])
    assert second.hours == 2


def test_cancelled_sessions_get_no_reminders(ctx, clock, make_session):
    make_session("s1", start="2026-11-22 20:00", end="21:00")
    clock.advance(hours=-30)
    registrations.register(ctx, "s1", "a@example.org")
    clock.advance(hours=30)
    sessions.cancel_session(ctx, "s1")
    assert queue_reminders(ctx, [24]) == []


def test_remind_sends_reminders_only_and_leaves_other_queued_mail_alone(cli, clock):
    from datetime import timedelta

    from bulletin_tui.domain.times import LONDON

    started = clock.now().astimezone(LONDON) - timedelta(hours=1)  # the CLI lives at the same instant (conftest)
    cli("sessions", "add", "running", "--title", "Started an hour ago", "--start", f"{started:%Y-%m-%d %H:%M}",
        "--end", f"{started + timedelta(hours=4):%Y-%m-%d %H:%M}", "--fold", "first")
    cli("sessions", "register", "running", "late@example.org", "--no-send")
    out = cli("sessions", "remind")
    assert "0 reminder(s) queued" in out and "late@example.org" not in out
    assert not list((cli.data_dir / "outbox").glob("*.eml"))
    assert "pending" in cli("sessions", "mail", "running")  # still there for: sessions send-invites
    assert "late@example.org" in cli("sessions", "send-invites")
