"""Registrations: register, withdraw, waiting list in arrival order, and exactly one promotion per freed place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ...domain.errors import DomainError, NotFoundError
from ...domain.occurrences import (
    DatePlaces,
    choose_occurrence,
    offers,
    pool_capacity,
    pool_mode,
    pool_modes,
    pool_registrations,
    split_modes,
    taken,
)
from ...domain.sessions import (
    AttendanceMode,
    InfoSession,
    Occurrence,
    Registration,
    RegistrationStatus,
    SessionFormat,
    status_for_newcomer,
    to_promote,
)
from ...domain.text import normalise_email
from ...domain.times import british_date
from ...invites.message import InviteKind
from ..context import AppContext, one_write
from ..sessions.mail import queue_mail
from .places import PLACES_LOCK, mode_for


@dataclass
class RegistrationOutcome:
    registration: Registration
    promoted: list[Registration] = field(default_factory=list)
    already: bool = False
    offers: list[DatePlaces] = field(default_factory=list)
    """Other dates with places, offered to someone put on a full date's waiting list."""

    @property
    def waitlisted(self) -> bool:
        return self.registration.status is RegistrationStatus.WAITLISTED


def registration_id(session_slug: str, email: str) -> str:
    """One stable id per (session, person): the duplicate check is a key lookup."""
    digest = hashlib.sha256(f"{session_slug}\n{normalise_email(email)}".encode()).hexdigest()
    return f"r-{digest[:20]}"


def scheduled_session(ctx: AppContext, slug: str) -> InfoSession:
    session = ctx.store.sessions.get(slug)
    if session is None:
        raise NotFoundError(f"no session '{slug}' (see: bulletin-tui sessions list)")
    if session.cancelled:
        raise DomainError(f"session '{slug}' is cancelled")
    return session


def registrations_for(ctx: AppContext, slug: str) -> list[Registration]:
    """A session's registrations in arrival order."""
    found = ctx.store.registrations.filter(lambda r: r.session_slug == slug)
    return sorted(found, key=lambda r: r.position)


def find_registration(ctx: AppContext, slug: str, email: str) -> Registration:
    found = ctx.store.registrations.get(registration_id(slug, email))
    if found is None:
        raise NotFoundError(f"{email} is not registered for '{slug}'")
    return found


def newcomer_status(existing: list[Registration], occurrence: Occurrence, mode: AttendanceMode) -> RegistrationStatus:
    """Confirmed while the date (and, for a split hybrid date, the way of attending) has places, else waiting."""
    pool = pool_mode(occurrence, mode)
    return status_for_newcomer(pool_capacity(occurrence, pool), taken(existing, occurrence, pool))


def _newcomer(ctx: AppContext, session: InfoSession, occurrence: Occurrence, existing: list[Registration],
              email: str, *, name: str, organisation: str, mode: AttendanceMode | None,
              source: str) -> Registration:
    chosen_mode = mode_for(session.at(occurrence), mode)
    position = max((r.position for r in existing), default=-1) + 1
    return Registration(
        id=registration_id(session.slug, email), session_slug=session.slug, occurrence_id=occurrence.id,
        email=email, name=name, organisation=organisation, mode=chosen_mode,
        status=newcomer_status(existing, occurrence, chosen_mode), registered_at=ctx.clock.now(),
        position=position, source=source,
    )


@one_write
def register(ctx: AppContext, slug: str, email: str, *, name: str = "", organisation: str = "",
             mode: AttendanceMode | None = None, source: str = "staff",
             occurrence: str | None = None) -> RegistrationOutcome:
    """Register one person for one date (`occurrence`, needed when the session has several): confirmed while
    places remain, else that date's waiting list with the other dates that have places offered; an invite is
    queued if confirmed."""
    with PLACES_LOCK, ctx.store.transaction():
        session = scheduled_session(ctx, slug)
        existing = registrations_for(ctx, slug)
        previous = ctx.store.registrations.get(registration_id(slug, email))
        if previous is not None and previous.active:
            return RegistrationOutcome(previous, already=True)
        chosen = choose_occurrence(session, occurrence)
        registration = _newcomer(ctx, session, chosen, existing, email,
                                 name=name or (previous.name if previous else ""), organisation=organisation,
                                 mode=mode, source=source)
        ctx.store.registrations.put(registration)
        queue_mail(ctx, registration, welcome_kind(registration))
        outcome = RegistrationOutcome(registration)
        if outcome.waitlisted:
            outcome.offers = offers(session, [*existing, registration], besides=chosen.id, mode=registration.mode,
                                    now=ctx.clock.now())
        return outcome


def welcome_kind(registration: Registration) -> InviteKind:
    """A newcomer's first message: the invite if they have a place, else their place on the waiting list."""
    return InviteKind.INVITE if registration.status is RegistrationStatus.CONFIRMED else InviteKind.WAITLISTED


@one_write
def cancel_registration(ctx: AppContext, slug: str, email: str) -> RegistrationOutcome:
    """Withdraw a person (a CANCEL is queued if they held a place) and promote from the waiting list."""
    with PLACES_LOCK, ctx.store.transaction():
        session = ctx.store.sessions.get(slug)
        if session is None:
            raise NotFoundError(f"no session '{slug}'")
        registration = find_registration(ctx, slug, email)
        if not registration.active:
            return RegistrationOutcome(registration, already=True)
        held_place = registration.status is RegistrationStatus.CONFIRMED
        withdrawn = registration.model_copy(update={
            "status": RegistrationStatus.CANCELLED, "cancelled_at": ctx.clock.now()})
        ctx.store.registrations.put(withdrawn)
        date = session.occurrence(registration.occurrence_id)
        if held_place and not session.cancelled and not (date is not None and date.cancelled):
            queue_mail(ctx, withdrawn, InviteKind.WITHDRAWN)
        promoted = promote_waiting(ctx, session) if not session.cancelled else []
        return RegistrationOutcome(withdrawn, promoted=promoted)


def promote_waiting(ctx: AppContext, session: InfoSession) -> list[Registration]:
    """Move waiting-list people into free places in arrival order (one per place), each with an invite queued;
    each date (and each way of attending a split hybrid date) has its own waiting list."""
    with PLACES_LOCK, ctx.store.transaction():
        session = ctx.store.sessions.get(session.slug) or session
        regs = registrations_for(ctx, session.slug)
        chosen = [registration for occurrence in session.dates() if not occurrence.cancelled
                  for mode in pool_modes(occurrence)
                  for registration in to_promote(pool_registrations(regs, occurrence, mode),
                                                 pool_capacity(occurrence, mode))]
        promoted = [r.model_copy(update={"status": RegistrationStatus.CONFIRMED, "promoted_at": ctx.clock.now()})
                    for r in chosen]
        ctx.store.registrations.put_many(promoted)
        for registration in promoted:
            queue_mail(ctx, registration, InviteKind.INVITE)
        return promoted


@one_write
def set_mode(ctx: AppContext, slug: str, email: str, mode: AttendanceMode) -> Registration:
    """Change how a person attends a hybrid session (the invite's joining details follow). Where in-person and
    online places are counted apart, a confirmed person moves only into a free place, and the place they leave
    goes to the next person waiting for it."""
    session = scheduled_session(ctx, slug)
    registration = find_registration(ctx, slug, email)
    date = session.occurrence(registration.occurrence_id) or session.dates()[0]
    view = session.at(date)
    if view.format is not SessionFormat.HYBRID:
        raise DomainError(f"session '{slug}' is {view.format.value}; only hybrid sessions have a choice")
    if registration.mode is mode:
        return registration
    with PLACES_LOCK, ctx.store.transaction():
        others = [r for r in registrations_for(ctx, slug) if r.id != registration.id]
        status = registration.status
        if split_modes(date) and registration.active:
            status = newcomer_status(others, date, mode)
            if registration.status is RegistrationStatus.CONFIRMED and status is RegistrationStatus.WAITLISTED:
                raise DomainError(f"the {mode.value} places on {british_date(date.start)} are full; "
                                  f"{registration.email} keeps their {registration.mode.value} place")
        changed = ctx.store.registrations.put(registration.model_copy(update={"mode": mode, "status": status}))
        if changed.status is RegistrationStatus.CONFIRMED:
            was_confirmed = registration.status is RegistrationStatus.CONFIRMED
            queue_mail(ctx, changed, InviteKind.UPDATE if was_confirmed else InviteKind.INVITE)
        promote_waiting(ctx, session)
    return changed
