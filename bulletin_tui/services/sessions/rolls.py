"""What `sessions registrations` and `sessions mail` list: a session's registrations numbered as every face
numbers them, and its mail with the address each message is for."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.occurrences import numbered_by_date
from ...domain.sessions import Registration, numbered
from ..context import AppContext
from .catalogue import get_session
from .mail import QueuedMail, mail_queue
from .registrations import registrations_for


@dataclass(frozen=True)
class Roll:
    """A session's registrations with their place in their group; `by_date`: numbered date by date."""

    by_date: bool
    places: list[tuple[int, Registration]]


def registration_roll(ctx: AppContext, slug: str) -> Roll:
    """Confirmed, waiting, cancelled, each numbered from 1 in arrival order (per date for a session on several)."""
    by_date = bool(get_session(ctx, slug).occurrences)
    return Roll(by_date, (numbered_by_date if by_date else numbered)(registrations_for(ctx, slug)))


def session_mail(ctx: AppContext, slug: str | None = None) -> list[QueuedMail]:
    """The session mail (of one session, or of all) in queue order."""
    return sorted((m for m in mail_queue(ctx) if slug is None or m.session_slug == slug), key=lambda m: m.order)


def addressee(ctx: AppContext, message: QueuedMail) -> str | None:
    """The address a message is for (None once its registrant was erased)."""
    registration = ctx.store.registrations.get(message.registration_id)
    return registration.email if registration else None
