"""Sessions that run on several dates: add, edit and cancel a date, and each date's places (docs/occurrences.md).

A session without dates is its own single date. Adding the first extra date turns the session's own date into
date 1 (it keeps the session's calendar UID and SEQUENCE, so invites already sent stay valid) and its
registrations and mail follow it; the session's start and end then span its dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ...domain.errors import DomainError, describe_validation_error
from ...domain.occurrences import DatePlaces, choose_occurrence, session_places
from ...domain.sessions import (
    INVITE_FIELDS,
    InfoSession,
    Occurrence,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from ...invites.message import InviteKind
from ..context import AppContext, one_write
from ..sessions.catalogue import DATE_FIELDS, get_session, new_uid
from ..sessions.mail import mail_queue, pending_mail, queue_mail
from ..sessions.registrations import promote_waiting, registrations_for
from .places import PLACES_LOCK


@dataclass
class DateChange:
    """What adding, editing or cancelling a date did."""

    session: InfoSession
    occurrence: Occurrence
    changed: list[str] = field(default_factory=list)
    notified: list[Registration] = field(default_factory=list)
    promoted: list[Registration] = field(default_factory=list)
    first_date: Occurrence | None = None
    """Set when this change turned the session's own date into date 1."""


def _validated(data: dict[str, Any]) -> Occurrence:
    try:
        return Occurrence.model_validate(data)
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc, prefix="date ")) from None


def _own_date(session: InfoSession) -> Occurrence:
    """The session's own date as date 1, keeping its UID, SEQUENCE and places."""
    implicit = session.dates()[0]
    return _validated({**implicit.model_dump(), "id": "1"})


def _spanning(session: InfoSession, dates: list[Occurrence], now: datetime) -> InfoSession:
    """The session with these dates; its start and end span the dates that are not cancelled."""
    live = [o for o in dates if not o.cancelled] or dates
    return session.model_copy(
        update={
            "occurrences": sorted(dates, key=lambda o: (o.start, o.id)),
            "start": min(o.start for o in live),
            "end": max(o.end for o in live),
            "updated_at": now,
        }
    )


def _follow_date_one(ctx: AppContext, slug: str) -> None:
    """Registrations and mail of the single-date session now belong to date 1."""
    moved = [r.model_copy(update={"occurrence_id": "1"}) for r in registrations_for(ctx, slug) if not r.occurrence_id]
    ctx.store.registrations.put_many(moved)
    queue = mail_queue(ctx)
    queue.put_many(
        [m.model_copy(update={"occurrence_id": "1"}) for m in queue if m.session_slug == slug and not m.occurrence_id]
    )


@one_write
def add_occurrence(ctx: AppContext, slug: str, *, start: datetime, end: datetime, **fields: object) -> DateChange:
    """Add a date (venue, link, format and places default to the session's); ids are never reused."""
    session = get_session(ctx, slug)
    if session.cancelled:
        raise DomainError(f"session '{slug}' is cancelled; it cannot get new dates")
    unknown = set(fields) - DATE_FIELDS
    if unknown:
        raise DomainError(f"a date has no {', '.join(sorted(unknown))}")
    first = None if session.occurrences else _own_date(session)
    dates = [first] if first is not None else list(session.occurrences)
    number = max(int(o.id) for o in dates if o.id.isdigit()) + 1
    defaults = {
        "venue": session.venue,
        "join_link": session.join_link,
        "format": session.format,
        "capacity": session.capacity,
        "capacity_in_person": session.capacity_in_person,
        "capacity_online": session.capacity_online,
    }
    given = {key: value for key, value in fields.items() if value is not None}
    added = _validated(
        {**defaults, **given, "id": str(number), "start": start, "end": end, "uid": new_uid(ctx, f"{slug}-{number}")}
    )
    with PLACES_LOCK, ctx.store.transaction():
        if first is not None:
            _follow_date_one(ctx, slug)
        updated = ctx.store.sessions.put(_spanning(session, [*dates, added], ctx.clock.now()))
    return DateChange(updated, added, changed=["added"], first_date=first)


def _date(session: InfoSession, occurrence_id: str) -> Occurrence:
    if not session.occurrences:
        raise DomainError(f"session '{session.slug}' has a single date; change it with: bulletin-tui sessions edit")
    return choose_occurrence(session, occurrence_id)


@one_write
def edit_occurrence(ctx: AppContext, slug: str, occurrence_id: str, **changes: object) -> DateChange:
    """Change one date: a new time, place, link or format raises its SEQUENCE and sends its confirmed people an
    update; more places go to its waiting list."""
    session = get_session(ctx, slug)
    if session.cancelled:
        raise DomainError(f"session '{slug}' is cancelled; it cannot be edited")
    current = _date(session, occurrence_id)
    unknown = set(changes) - DATE_FIELDS
    if unknown:
        raise DomainError(f"cannot change: {', '.join(sorted(unknown))}")
    proposed = _validated({**current.model_dump(), **changes})
    changed = [name for name in changes if getattr(proposed, name) != getattr(current, name)]
    result = DateChange(session, proposed, changed=changed)
    if not changed:
        return result
    calendar_changed = bool(INVITE_FIELDS & set(changed))
    updated = proposed.model_copy(update={"sequence": current.sequence + (1 if calendar_changed else 0)})
    others = [o for o in session.occurrences if o.id != current.id]
    with PLACES_LOCK, ctx.store.transaction():
        result.session = ctx.store.sessions.put(_spanning(session, [*others, updated], ctx.clock.now()))
        result.occurrence = updated
        confirmed = [
            r
            for r in registrations_for(ctx, slug)
            if r.occurrence_id == current.id and r.status is RegistrationStatus.CONFIRMED
        ]
        if calendar_changed:
            waiting_update = {
                m.registration_id
                for m in pending_mail(ctx, slug)
                if m.kind is InviteKind.UPDATE and m.occurrence_id == current.id
            }
            for registration in confirmed:
                if registration.id not in waiting_update:
                    queue_mail(ctx, registration, InviteKind.UPDATE)
            result.notified = confirmed
        if {"capacity", "capacity_in_person", "capacity_online", "format"} & set(changed):
            result.promoted = promote_waiting(ctx, result.session)
    return result


@one_write
def cancel_occurrence(ctx: AppContext, slug: str, occurrence_id: str) -> DateChange:
    """Cancel one date: its SEQUENCE raised, a CANCEL for its UID to each person with a place on it, a notice to
    each person waiting for it. The other dates, and their registrants' calendars, are untouched."""
    session = get_session(ctx, slug)
    if session.cancelled:
        raise DomainError(f"session '{slug}' is already cancelled")
    current = _date(session, occurrence_id)
    if not [o for o in session.occurrences if not o.cancelled and o.id != current.id]:
        raise DomainError(
            f"date {current.id} is the last date of '{slug}' still on: cancel the session instead "
            f"(bulletin-tui sessions cancel {slug})"
        )
    now = ctx.clock.now()
    cancelled = current.model_copy(
        update={"status": SessionStatus.CANCELLED, "sequence": current.sequence + 1, "cancelled_at": now}
    )
    others = [o for o in session.occurrences if o.id != current.id]
    with PLACES_LOCK, ctx.store.transaction():
        updated = ctx.store.sessions.put(_spanning(session, [*others, cancelled], now))
        registered = [r for r in registrations_for(ctx, slug) if r.occurrence_id == current.id and r.active]
        for registration in registered:
            waiting = registration.status is RegistrationStatus.WAITLISTED
            queue_mail(ctx, registration, InviteKind.WAITLIST_CANCELLED if waiting else InviteKind.CANCEL_SESSION)
    return DateChange(updated, cancelled, changed=["status"], notified=registered)


def occurrence_places(ctx: AppContext, slug: str) -> list[DatePlaces]:
    """Each date of a session with its places, confirmed and waiting (cancelled dates included)."""
    session = get_session(ctx, slug)
    return session_places(session, registrations_for(ctx, slug))
