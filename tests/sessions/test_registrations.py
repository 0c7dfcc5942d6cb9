"""Registrations: duplicates, capacity, waiting list in arrival order, promotion, lowering capacity, races."""

from __future__ import annotations

import threading

import pytest

from bulletin_tui.domain.errors import DomainError, NotFoundError
from bulletin_tui.domain.sessions import AttendanceMode, RegistrationStatus, SessionFormat
from bulletin_tui.invites.message import InviteKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import pending_mail

CONFIRMED, WAITLISTED, CANCELLED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                    RegistrationStatus.CANCELLED)


def statuses(ctx: AppContext, slug: str) -> dict[str, RegistrationStatus]:
    return {r.email: r.status for r in registrations.registrations_for(ctx, slug)}


def test_duplicate_is_case_insensitive_and_changes_nothing(ctx, make_session):
    make_session("s1")
    first = registrations.register(ctx, "s1", "Jo.Bloggs@Example.org", name="Jo")
    again = registrations.register(ctx, "s1", "  jo.bloggs@EXAMPLE.ORG ")
    assert again.already and again.registration.id == first.registration.id
    assert len(registrations.registrations_for(ctx, "s1")) == 1
    assert [m.kind for m in pending_mail(ctx)] == [InviteKind.INVITE]


def test_capacity_then_waiting_list_in_arrival_order(ctx, make_session):
    make_session("s1", capacity=2)
    for n in range(5):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    assert statuses(ctx, "s1") == {
        "p0@example.org": CONFIRMED, "p1@example.org": CONFIRMED,
        "p2@example.org": WAITLISTED, "p3@example.org": WAITLISTED, "p4@example.org": WAITLISTED}
    assert [(m.registration_id, m.kind) for m in pending_mail(ctx)] == [
        (registrations.registration_id("s1", f"p{n}@example.org"),
         InviteKind.INVITE if n < 2 else InviteKind.WAITLISTED) for n in range(5)]


def test_one_promotion_per_freed_place_with_invite_queued(ctx, make_session):
    make_session("s1", capacity=2)
    for n in range(4):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    outcome = registrations.cancel_registration(ctx, "s1", "P0@example.org")
    assert [r.email for r in outcome.promoted] == ["p2@example.org"]
    assert statuses(ctx, "s1")["p3@example.org"] is WAITLISTED
    kinds = [(m.registration_id, m.kind) for m in pending_mail(ctx)][-2:]
    assert kinds == [(registrations.registration_id("s1", "p0@example.org"), InviteKind.WITHDRAWN),
                     (registrations.registration_id("s1", "p2@example.org"), InviteKind.INVITE)]
    # cancelling a waitlisted person frees no place: nobody promoted, no calendar CANCEL
    again = registrations.cancel_registration(ctx, "s1", "p3@example.org")
    assert again.promoted == [] and len(pending_mail(ctx)) == 6  # 2 invites, 2 waiting, withdrawn, promoted


def test_cancel_twice_is_harmless_and_reregistering_goes_to_the_back(ctx, make_session):
    make_session("s1", capacity=1)
    registrations.register(ctx, "s1", "a@example.org")
    registrations.register(ctx, "s1", "b@example.org")
    registrations.cancel_registration(ctx, "s1", "a@example.org")
    assert registrations.cancel_registration(ctx, "s1", "a@example.org").already
    back = registrations.register(ctx, "s1", "a@example.org")
    assert back.registration.status is WAITLISTED
    assert back.registration.position > registrations.find_registration(ctx, "s1", "b@example.org").position


def test_lowering_capacity_warns_and_removes_nobody(ctx, make_session):
    make_session("s1", capacity=5)
    for n in range(4):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    change = sessions.edit_session(ctx, "s1", capacity=2)
    assert change.warnings and "nobody was removed" in change.warnings[0]
    assert list(statuses(ctx, "s1").values()) == [CONFIRMED] * 4
    assert change.session.sequence == 0  # capacity is not a calendar change
    newcomer = registrations.register(ctx, "s1", "late@example.org")
    assert newcomer.waitlisted


def test_raising_capacity_promotes_exactly_the_new_places(ctx, make_session):
    make_session("s1", capacity=1)
    for n in range(5):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    change = sessions.edit_session(ctx, "s1", capacity=3)
    assert [r.email for r in change.promoted] == ["p1@example.org", "p2@example.org"]
    assert sessions.registration_counts(ctx, "s1") == {"confirmed": 3, "waitlisted": 2, "cancelled": 0}


def test_race_for_the_last_places_never_overfills(ctx, make_session):
    make_session("s1", capacity=5)
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def arrive(n: int) -> None:
        barrier.wait()
        try:
            registrations.register(ctx, "s1", f"racer{n}@example.org")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=arrive, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    regs = registrations.registrations_for(ctx, "s1")
    assert sorted(r.position for r in regs) == list(range(12))
    assert [r.status for r in regs] == [CONFIRMED] * 5 + [WAITLISTED] * 7


def test_hybrid_mode_and_fixed_modes(ctx, make_session):
    make_session("hyb", format=SessionFormat.HYBRID, venue="Sessions House, Maidstone")
    make_session("room", format=SessionFormat.IN_PERSON, venue="Oakwood House")
    person = registrations.register(ctx, "hyb", "a@example.org", mode=AttendanceMode.IN_PERSON)
    assert person.registration.mode is AttendanceMode.IN_PERSON
    assert registrations.register(ctx, "room", "a@example.org").registration.mode is AttendanceMode.IN_PERSON
    changed = registrations.set_mode(ctx, "hyb", "a@example.org", AttendanceMode.ONLINE)
    assert changed.mode is AttendanceMode.ONLINE
    with pytest.raises(DomainError, match="only hybrid"):
        registrations.set_mode(ctx, "room", "a@example.org", AttendanceMode.ONLINE)


def test_errors_name_the_problem(ctx, make_session):
    with pytest.raises(NotFoundError, match="no session 'nope'"):
        registrations.register(ctx, "nope", "a@example.org")
    make_session("s1")
    with pytest.raises(NotFoundError, match="not registered"):
        registrations.cancel_registration(ctx, "s1", "ghost@example.org")
    sessions.cancel_session(ctx, "s1")
    with pytest.raises(DomainError, match="cancelled"):
        registrations.register(ctx, "s1", "a@example.org")
