"""Reminders N hours before each session: never after the start, never twice. The offsets are set per session
kind (settings.bulletin.reminder_offsets, e.g. 7 days and 1 day before), else settings.bulletin.reminder_hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...domain.sessions import InfoSession, Registration, RegistrationStatus
from ...invites.message import InviteKind
from ..context import AppContext
from ..sessions.mail import QueuedMail, queue_mail
from ..sessions.registrations import registrations_for


@dataclass(frozen=True)
class ReminderQueued:
    session_slug: str
    hours: int
    mail: QueuedMail


def due_windows(session: InfoSession, hours_list: list[int], now: datetime) -> list[int]:
    """The reminder offsets whose moment has come for this session, if it has not started."""
    if session.cancelled or now >= session.start:
        return []
    return sorted(h for h in set(hours_list) if session.start - timedelta(hours=h) <= now)


def _wants_reminder(registration: Registration, session: InfoSession, hours: int) -> bool:
    """Confirmed people who registered before this reminder's moment (later ones just had their invite)."""
    opens = session.start - timedelta(hours=hours)
    return registration.status is RegistrationStatus.CONFIRMED and registration.registered_at < opens


def queue_reminders(ctx: AppContext, hours: list[int] | None = None) -> list[ReminderQueued]:
    """Queue every reminder that is due now (at `hours` before the start for every session, else at the offsets
    of each session's kind); run it from cron, or let the worker, as often as you like."""
    now = ctx.clock.now()
    queued: list[ReminderQueued] = []
    with ctx.store.transaction():
        for stored in ctx.store.sessions:
            offsets = hours if hours is not None else ctx.settings.bulletin.reminder_hours_for(stored.kind.value)
            for date in stored.dates():  # each date of a multi-date session has its own reminders
                own = date.uid == stored.uid  # the session's own date keeps its reminder keys (never twice)
                queued += _queue_for_date(ctx, stored.at(date), date.id, offsets, now, keyed=not own)
    return queued


def _queue_for_date(ctx: AppContext, session: InfoSession, date_id: str, offsets: list[int], now: datetime, *,
                    keyed: bool) -> list[ReminderQueued]:
    windows = due_windows(session, offsets, now)
    if not windows:
        return []
    # only the nearest due window: a 2-hour reminder makes a missed 24-hour one pointless
    nearest = windows[0]
    key = f"reminder-{date_id}-{nearest}h" if keyed else f"reminder-{nearest}h"
    queued = []
    for registration in registrations_for(ctx, session.slug):
        if registration.occurrence_id != date_id or not _wants_reminder(registration, session, nearest):
            continue
        mail = queue_mail(ctx, registration, InviteKind.REMINDER, key=key)
        if mail is not None:
            queued.append(ReminderQueued(session.slug, nearest, mail))
    return queued
