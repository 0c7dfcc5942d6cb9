"""Reminder offsets per session kind (settings.bulletin.reminder_offsets): "7d" and "1d" before a training
session, the default 24 hours before a CSIS; never after the start, never twice, only the nearest missed one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bulletin_tui.config import Settings, load_settings
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.services.mailings.session_delivery import deliver_pending
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import MailOutcome
from bulletin_tui.services.sessions.reminders import queue_reminders


def due(ctx) -> list[tuple[str, int]]:
    return sorted((q.session_slug, q.hours) for q in queue_reminders(ctx))


def test_each_kind_has_its_own_offsets_never_twice_never_after_the_start(ctx, clock, make_session):
    ctx.settings.bulletin.reminder_offsets = {"training": ["7d", "1d"]}
    training = make_session("course", start="2026-12-02 09:30", end="16:00", kind="training")
    csis = make_session("csis", start="2026-12-02 12:30", end="13:30")  # kind CSIS: reminder_hours, 24
    clock.advance(days=-3)
    for slug in ("course", "csis"):
        registrations.register(ctx, slug, f"someone@{slug}.example")
    clock.advance(days=3)
    deliver_pending(ctx)  # the invites
    clock.at = training.start - timedelta(days=7, minutes=1)
    assert due(ctx) == []
    clock.advance(minutes=1)
    assert due(ctx) == [("course", 168)]  # a week before the course; nothing for the CSIS yet
    assert due(ctx) == []  # never twice
    clock.at = csis.start - timedelta(days=1)  # both 1-day windows are open (the course starts earlier)
    assert due(ctx) == [("course", 24), ("csis", 24)]
    assert due(ctx) == []
    sent = deliver_pending(ctx)
    assert [(d.kind.value, d.outcome) for d in sent] == [("reminder", MailOutcome.SENT)] * 3
    clock.at = csis.start + timedelta(minutes=1)
    assert due(ctx) == [] and deliver_pending(ctx) == []


def test_a_missed_window_sends_only_the_nearest_and_never_after_the_start(ctx, clock, make_session):
    ctx.settings.bulletin.reminder_offsets = {"CSIS": ["7d", "1d", "2h"]}
    session = make_session("csis", start="2026-12-02 12:30", end="13:30")
    clock.advance(days=-3)
    registrations.register(ctx, "csis", "late.worker@example.org")
    clock.at = session.start - timedelta(hours=3)  # the worker was down for the 7-day and the 1-day ones
    assert due(ctx) == [("csis", 24)]
    clock.at = session.start - timedelta(minutes=30)
    assert due(ctx) == [("csis", 2)]
    clock.at = session.start - timedelta(days=10)
    assert due(ctx) == []  # keys are per offset: going back in time never queues a second 1-day one
    clock.at = session.start
    assert due(ctx) == []


def test_offsets_are_checked_and_read_from_the_file_and_the_environment(tmp_path, monkeypatch):
    settings = Settings(bulletin={"reminder_offsets": {"csis": ["7d", 2], "Training": "36h"}})
    assert settings.bulletin.reminder_offsets == {"CSIS": ["7d", "2"], "training": ["36h"]}
    assert settings.bulletin.reminder_hours_for("CSIS") == [168, 2]
    assert settings.bulletin.reminder_hours_for("workshop") == [24]  # not named: reminder_hours
    config = tmp_path / "config.toml"
    config.write_text('[bulletin.reminder_offsets]\n"DHR learning webinar" = ["1d"]\n')
    assert load_settings(config).bulletin.reminder_hours_for("DHR learning webinar") == [24]
    monkeypatch.setenv("BULLETIN_BULLETIN__REMINDER_OFFSETS", '{"workshop": ["7d", "1d"]}')
    assert load_settings(config).bulletin.reminder_hours_for("workshop") == [168, 24]
    for wrong, says in (({"seminar": ["1d"]}, "'seminar' is not a session kind (CSIS, "),
                        ({"CSIS": ["1w"]}, "reminder offset '1w' is not a number of days or hours"),
                        ({"CSIS": ["0h"]}, "reminder offset '0h'")):
        monkeypatch.setenv("BULLETIN_BULLETIN__REMINDER_OFFSETS", str(wrong).replace("'", '"'))
        with pytest.raises(DomainError, match=re.escape(says)):
            load_settings(config)
