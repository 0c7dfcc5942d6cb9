"""Move a registration to another date of its session: the new date's place is taken (only if free), the old
date's place goes to the next person waiting for it, the old calendar entry is cancelled and the new one sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...domain.errors import DomainError, NotFoundError
from ...domain.occurrences import choose_occurrence, offers, places_phrase, pool_mode, pool_places_left
from ...domain.sessions import AttendanceMode, Registration, RegistrationStatus
from ...domain.times import british_date
from ...invites.message import InviteKind
from ..context import AppContext, one_write
from ..sessions.mail import queue_mail
from ..sessions.registrations import (
    find_registration,
    promote_waiting,
    registrations_for,
    scheduled_session,
)
from .places import PLACES_LOCK, mode_for


@dataclass
class MoveOutcome:
    registration: Registration
    from_date: str
    promoted: list[Registration] = field(default_factory=list)
    already: bool = False


def find_by_id_or_email(ctx: AppContext, reference: str, email: str | None = None) -> Registration:
    """A registration by its id (`r-...`), or by session slug and e-mail address."""
    if email:
        return find_registration(ctx, reference, email)
    found = ctx.store.registrations.get(reference)
    if found is None:
        raise NotFoundError(
            f"no registration '{reference}' (give SESSION EMAIL, or an id from: "
            "bulletin-tui sessions registrations SESSION --json)"
        )
    return found


@one_write
def move_registration(
    ctx: AppContext, registration_id: str, to: str, mode: AttendanceMode | None = None
) -> MoveOutcome:
    """Move one registration to the date `to` (id or YYYY-MM-DD), taking a free place there."""
    with PLACES_LOCK, ctx.store.transaction():
        registration = find_by_id_or_email(ctx, registration_id)
        session = scheduled_session(ctx, registration.session_slug)
        if not registration.active:
            raise DomainError(f"{registration.email} cancelled their registration; register them again instead")
        target = choose_occurrence(session, to)
        chosen_mode = mode_for(session.at(target), mode or registration.mode)
        if target.id == registration.occurrence_id and chosen_mode is registration.mode:
            return MoveOutcome(registration, target.id, already=True)
        if target.start <= ctx.clock.now():
            raise DomainError(f"date {target.id} ({british_date(target.start)}) has already started")
        others = [r for r in registrations_for(ctx, session.slug) if r.id != registration.id]
        if pool_places_left(others, target, pool_mode(target, chosen_mode)) == 0:
            found = offers(session, others, besides=target.id, mode=chosen_mode, now=ctx.clock.now())
            choices = (
                "; ".join(f"{d.occurrence.id} = {british_date(d.occurrence.start)} ({places_phrase(d)})" for d in found)
                or "none"
            )
            raise DomainError(f"date {target.id} ({british_date(target.start)}) is full; dates with places: {choices}")
        held_place = registration.status is RegistrationStatus.CONFIRMED
        moved = registration.model_copy(
            update={"occurrence_id": target.id, "mode": chosen_mode, "status": RegistrationStatus.CONFIRMED}
        )
        ctx.store.registrations.put(moved)
        if held_place and target.id != registration.occurrence_id:
            queue_mail(ctx, moved, InviteKind.MOVED, occurrence_id=registration.occurrence_id)
        queue_mail(
            ctx,
            moved,
            InviteKind.INVITE if target.id != registration.occurrence_id or not held_place else InviteKind.UPDATE,
        )
        promoted = promote_waiting(ctx, session)
        return MoveOutcome(moved, registration.occurrence_id, promoted=promoted)
