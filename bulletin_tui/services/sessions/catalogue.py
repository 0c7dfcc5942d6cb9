"""Information sessions: create, edit (SEQUENCE and updates on time/place/link changes), cancel, list."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.sessions import (
    CALENDAR_TEXT_FIELDS,
    INVITE_FIELDS,
    InfoSession,
    Registration,
    RegistrationStatus,
    SessionStatus,
    confirmed_count,
    over_capacity,
)
from ...domain.times import LONDON, parse_clock, parse_local
from ...invites.message import InviteKind
from ..context import AppContext, one_write
from ..sessions.mail import pending_mail, queue_mail
from ..sessions.registrations import promote_waiting, registrations_for

# What belongs to each date of a session that has several: changed per date (sessions edit-occurrence).
DATE_FIELDS = frozenset({"start", "end", "venue", "join_link", "format", "capacity", "capacity_in_person",
                         "capacity_online"})


@dataclass
class SessionChange:
    """What an edit or a cancellation did."""

    session: InfoSession
    changed: list[str] = field(default_factory=list)
    notified: list[Registration] = field(default_factory=list)
    promoted: list[Registration] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def list_sessions(ctx: AppContext) -> list[InfoSession]:
    """All sessions in start order."""
    return sorted(ctx.store.sessions.all(), key=lambda session: session.start)


def get_session(ctx: AppContext, slug: str) -> InfoSession:
    session = ctx.store.sessions.get(slug)
    if session is None:
        raise NotFoundError(f"no session '{slug}' (see: bulletin-tui sessions list)")
    return session


def new_uid(ctx: AppContext, slug: str) -> str:
    domain = ctx.settings.sender.identity_domain
    return f"{slug}-{uuid.uuid4().hex[:12]}@{domain}"


def parse_times(start: str, end: str, *, fold: int | None = None) -> tuple[datetime, datetime]:
    """`"YYYY-MM-DD HH:MM"` and `"HH:MM"` (same day) or a full date-time, as London times.

    A time the clocks skip is refused with a suggestion; one they repeat needs `fold` (0 = BST, 1 = GMT).
    """
    starts = parse_local(start, fold=fold).astimezone(UTC)
    if " " in end.strip():
        return starts, parse_local(end, fold=fold).astimezone(UTC)
    hours, minutes = parse_clock(end)
    day = starts.astimezone(LONDON)
    return starts, parse_local(f"{day:%Y-%m-%d} {hours:02d}:{minutes:02d}", fold=fold).astimezone(UTC)


def _validated(data: dict[str, Any]) -> InfoSession:
    try:
        return InfoSession.model_validate(data)
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc, prefix="session ")) from None


@one_write
def create_session(ctx: AppContext, **fields: object) -> InfoSession:
    slug = str(fields["slug"])
    if slug in ctx.store.sessions:
        raise DomainError(f"session '{slug}' already exists")
    session = _validated({"uid": new_uid(ctx, slug), "created_at": ctx.clock.now(), **fields})
    return ctx.store.sessions.put(session)


@one_write
def edit_session(ctx: AppContext, slug: str, **changes: object) -> SessionChange:
    """Change a session; a new time, place or link raises SEQUENCE, and it or a new title, description, speakers
    or topics queues an update for each confirmed person (one pending update each: it is rendered when sent)."""
    current = get_session(ctx, slug)
    if current.cancelled:
        raise DomainError(f"session '{slug}' is cancelled; it cannot be edited")
    unknown = set(changes) - set(InfoSession.model_fields) | ({"slug", "uid", "sequence", "occurrences"}
                                                              & set(changes))
    if unknown:
        raise DomainError(f"cannot change: {', '.join(sorted(unknown))}")
    proposed = _validated({**current.model_dump(), **changes})
    changed = [name for name in changes if getattr(proposed, name) != getattr(current, name)]
    per_date = sorted(DATE_FIELDS & set(changed)) if current.occurrences else []
    if per_date:
        raise DomainError(f"session '{slug}' has {len(current.occurrences)} dates: change {', '.join(per_date)} "
                          "on a date (bulletin-tui sessions edit-occurrence)")
    result = SessionChange(proposed, changed=changed)
    if not changed:
        return result
    calendar_changed = bool(INVITE_FIELDS & set(changed))
    text_changed = bool(CALENDAR_TEXT_FIELDS & set(changed))
    updated = proposed.model_copy(update={
        "sequence": current.sequence + (1 if calendar_changed else 0), "updated_at": ctx.clock.now()})
    with ctx.store.transaction():
        ctx.store.sessions.put(updated)
        result.session = updated
        confirmed = [r for r in registrations_for(ctx, slug) if r.status is RegistrationStatus.CONFIRMED]
        if calendar_changed or text_changed:
            waiting_update = {m.registration_id for m in pending_mail(ctx, slug) if m.kind is InviteKind.UPDATE}
            for registration in confirmed:
                if registration.id not in waiting_update:
                    queue_mail(ctx, registration, InviteKind.UPDATE)
            result.notified = confirmed
        if {"capacity", "capacity_in_person", "capacity_online"} & set(changed):
            result.promoted = promote_waiting(ctx, updated)
            excess = over_capacity(updated.capacity, confirmed_count(confirmed))
            if excess:
                result.warnings.append(
                    f"capacity {updated.capacity} is below the {len(confirmed)} confirmed places; "
                    f"nobody was removed ({excess} over)")
    return result


@one_write
def cancel_session(ctx: AppContext, slug: str) -> SessionChange:
    """Cancel a session: SEQUENCE raised, STATUS:CANCELLED, a CANCEL queued for everyone with a place and a
    notice (no calendar) for everyone waiting."""
    current = get_session(ctx, slug)
    if current.cancelled:
        raise DomainError(f"session '{slug}' is already cancelled")
    now = ctx.clock.now()
    dates = [o.model_copy(update={"sequence": o.sequence + 1}) for o in current.occurrences]
    cancelled = current.model_copy(update={
        "status": SessionStatus.CANCELLED, "sequence": current.sequence + 1, "cancelled_at": now, "updated_at": now,
        "occurrences": dates})
    with ctx.store.transaction():
        ctx.store.sessions.put(cancelled)
        registered = [r for r in registrations_for(ctx, slug) if r.active and not _date_cancelled(current, r)]
        for registration in registered:
            waiting = registration.status is RegistrationStatus.WAITLISTED
            queue_mail(ctx, registration, InviteKind.WAITLIST_CANCELLED if waiting else InviteKind.CANCEL_SESSION)
    return SessionChange(cancelled, changed=["status"], notified=registered)


def _date_cancelled(session: InfoSession, registration: Registration) -> bool:
    """True when the person's own date was cancelled before (they have had their cancellation already)."""
    date = session.occurrence(registration.occurrence_id)
    return date is not None and date.cancelled


def registration_tallies(ctx: AppContext) -> dict[str, Counter[str]]:
    """Per session slug: its registrations by status (`confirmed`, `waitlisted`, `cancelled`), in one pass."""
    tallies: dict[str, Counter[str]] = {}
    for row in ctx.store.registrations.rows():
        tallies.setdefault(row["session_slug"], Counter())[row["status"]] += 1
    return tallies


def registration_counts(ctx: AppContext, slug: str) -> dict[str, int]:
    """Confirmed, waitlisted and cancelled counts for one session."""
    counts = {status.value: 0 for status in RegistrationStatus}
    for row in ctx.store.registrations.rows():
        if row["session_slug"] == slug:
            counts[row["status"]] += 1
    return counts
