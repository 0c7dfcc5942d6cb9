"""Reminders N hours before each session (settings.bulletin.reminder_hours): never after the start, never twice."""

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
    """Queue every reminder that is due now; run it from cron as often as you like."""
    now = ctx.clock.now()
    offsets = hours if hours is not None else ctx.settings.bulletin.reminder_hours
    queued: list[ReminderQueued] = []
    with ctx.store.transaction():
        for session in ctx.store.sessions:
            windows = due_windows(session, offsets, now)
            if not windows:
                continue
            # only the nearest due window: a 2-hour reminder makes a missed 24-hour one pointless
            nearest = windows[0]
            for registration in registrations_for(ctx, session.slug):
                if not _wants_reminder(registration, session, nearest):
                    continue
                mail = queue_mail(ctx, registration, InviteKind.REMINDER, key=f"reminder-{nearest}h")
                if mail is not None:
                    queued.append(ReminderQueued(session.slug, nearest, mail))
    return queued
