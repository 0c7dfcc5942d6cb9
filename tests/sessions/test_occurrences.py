"""A training on several dates (the ASB Tools & Powers CPD: four one-day dates, 16 places each): places, waiting
list and promotion per date, the offer of another date, a move, and per-date calendars, read back from what a
real SMTP server on 127.0.0.1 received."""

from __future__ import annotations

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.occurrences import dates_summary
from bulletin_tui.domain.sessions import AttendanceMode, RegistrationStatus, SessionFormat
from bulletin_tui.services.sessions import catalogue, moves, occurrences, registrations

from .delivered import deliver_all

VENUE = "To be confirmed (district/borough partner)"
DATES = ("2027-02-02", "2027-02-16", "2027-03-02", "2027-03-16")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def cpd(ctx, make_session):  # type: ignore[no-untyped-def]
    """Four dates of 16 places; the session's own date becomes date 1 when the second is added."""
    make_session(
        "asb-cpd",
        start=f"{DATES[0]} 09:30",
        end="16:00",
        title="ASB Tools & Powers CPD",
        format=SessionFormat.IN_PERSON,
        venue=VENUE,
        capacity=16,
    )
    for day in DATES[1:]:
        start, end = catalogue.parse_times(f"{day} 09:30", "16:00")
        occurrences.add_occurrence(ctx, "asb-cpd", start=start, end=end)
    return catalogue.get_session(ctx, "asb-cpd")


def _fill(ctx, date: str, count: int, prefix: str = "p") -> list[str]:  # type: ignore[no-untyped-def]
    emails = [f"{prefix}{n}@{date.replace('-', '')}.example.org" for n in range(count)]
    for email in emails:
        registrations.register(ctx, "asb-cpd", email, occurrence=date)
    return emails


def test_four_dates_keep_the_first_uid_and_span_the_session(ctx, cpd):  # type: ignore[no-untyped-def]
    assert [o.id for o in cpd.dates()] == ["1", "2", "3", "4"]
    assert cpd.dates()[0].uid == "asb-cpd@kcst.test"  # the session's own date kept its calendar identity
    assert len({o.uid for o in cpd.dates()}) == 4
    assert (cpd.local_start.date().isoformat(), cpd.local_end.date().isoformat()) == (DATES[0], DATES[-1])
    places = occurrences.occurrence_places(ctx, "asb-cpd")
    assert [(p.capacity, p.left) for p in places] == [(16, 16)] * 4
    assert dates_summary(places) == "4 dates, 64 places left"


def test_registering_needs_a_date_and_names_the_choices(ctx, cpd):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match=r"has 4 dates; choose one: 1 = Tuesday 2 February 2027; 2 = .*"):
        registrations.register(ctx, "asb-cpd", "a@example.org")
    with pytest.raises(DomainError, match="has no date '9'"):
        registrations.register(ctx, "asb-cpd", "a@example.org", occurrence="9")
    assert ctx.store.registrations.all() == []
    by_day = registrations.register(ctx, "asb-cpd", "a@example.org", occurrence="2027-03-02")
    assert by_day.registration.occurrence_id == "3"


async def test_a_full_date_offers_the_others_and_a_move_swaps_the_calendars(ctx, cpd):  # type: ignore[no-untyped-def]
    first, *_ = _fill(ctx, "2", 16)
    late = registrations.register(ctx, "asb-cpd", "late@example.org", occurrence="2")
    assert late.waitlisted and [d.occurrence.id for d in late.offers] == ["1", "3", "4"]
    received = await deliver_all(ctx)
    assert len(received) == 17
    uid_2 = received[0].calendar.uid if received[0].calendar else ""
    assert uid_2 == cpd.occurrence("2").uid  # type: ignore[union-attr]
    waiting = received[-1]
    assert waiting.to == "late@example.org" and waiting.calendar is None
    text = _one_line(waiting.text)
    assert "Waiting list: number 1" in text
    assert (
        "Other dates with places: Tuesday 2 February 2027, 9.30 am to 4 pm (16 places left); Tuesday 2 "
        "March 2027, 9.30 am to 4 pm (16 places left); Tuesday 16 March 2027"
    ) in text
    assert 'subject "Move me: ASB Tools & Powers CPD, Tuesday 16 February 2027"' in text

    moved = moves.move_registration(ctx, registrations.registration_id("asb-cpd", first), "3")
    assert (moved.registration.occurrence_id, moved.from_date) == ("3", "2")
    assert [p.email for p in moved.promoted] == ["late@example.org"]  # the freed place on date 2
    cancel_old, invite_new, promoted = await deliver_all(ctx)
    assert cancel_old.to == invite_new.to == first
    assert cancel_old.calendar and cancel_old.calendar.method == "CANCEL" and cancel_old.calendar.uid == uid_2
    assert cancel_old.calendar.status == "CANCELLED"
    subject = "Moved to another date: ASB Tools & Powers CPD, Tuesday 16 February 2027"
    assert _one_line(cancel_old.message["Subject"]) == subject
    new_uid = cpd.occurrence("3").uid  # type: ignore[union-attr]
    assert invite_new.calendar and invite_new.calendar.method == "REQUEST" and invite_new.calendar.uid == new_uid
    assert invite_new.calendar.start_utc.isoformat() == "2027-03-02T09:30:00+00:00"
    assert _one_line(invite_new.message["Subject"]) == "Invitation: ASB Tools & Powers CPD, Tuesday 2 March 2027"
    assert "Where: To be confirmed (district/borough partner)" in _one_line(invite_new.text)
    assert promoted.to == "late@example.org" and promoted.calendar and promoted.calendar.uid == uid_2
    places = {p.occurrence.id: p.left for p in occurrences.occurrence_places(ctx, "asb-cpd")}
    assert places == {"1": 16, "2": 0, "3": 15, "4": 16}


def test_a_move_to_a_full_date_is_refused_and_changes_nothing(ctx, cpd):  # type: ignore[no-untyped-def]
    _fill(ctx, "1", 16)
    registrations.register(ctx, "asb-cpd", "jo@example.org", occurrence="4")
    before = ctx.store.registrations.all()
    with pytest.raises(DomainError, match=r"date 1 \(Tuesday 2 February 2027\) is full; dates with places: 2 = "):
        moves.move_registration(ctx, registrations.registration_id("asb-cpd", "jo@example.org"), "1")
    assert ctx.store.registrations.all() == before


def test_each_date_promotes_from_its_own_waiting_list(ctx, cpd):  # type: ignore[no-untyped-def]
    on_one = _fill(ctx, "1", 16, "a")
    on_two = _fill(ctx, "2", 16, "b")
    registrations.register(ctx, "asb-cpd", "wait-two@example.org", occurrence="2")
    registrations.register(ctx, "asb-cpd", "wait-one@example.org", occurrence="1")
    freed = registrations.cancel_registration(ctx, "asb-cpd", on_two[3])
    assert [r.email for r in freed.promoted] == ["wait-two@example.org"]
    freed = registrations.cancel_registration(ctx, "asb-cpd", on_one[0])
    assert [r.email for r in freed.promoted] == ["wait-one@example.org"]
    assert registrations.cancel_registration(ctx, "asb-cpd", on_one[1]).promoted == []


async def test_cancelling_one_date_cancels_only_its_calendar_entries(ctx, cpd):  # type: ignore[no-untyped-def]
    registrations.register(ctx, "asb-cpd", "one@example.org", occurrence="1")
    registrations.register(ctx, "asb-cpd", "four@example.org", occurrence="4")
    await deliver_all(ctx)
    change = occurrences.cancel_occurrence(ctx, "asb-cpd", "4")
    assert [r.email for r in change.notified] == ["four@example.org"]
    [cancelled] = await deliver_all(ctx)
    assert cancelled.to == "four@example.org" and cancelled.calendar is not None
    assert (cancelled.calendar.method, cancelled.calendar.uid, cancelled.calendar.sequence) == (
        "CANCEL",
        cpd.occurrence("4").uid,
        1,
    )  # type: ignore[union-attr]
    assert ("Other dates with places: Tuesday 2 February 2027, 9.30 am to 4 pm (15 places left); Tuesday 16 "
            "February 2027, 9.30 am to 4 pm (16 places left)") in _one_line(cancelled.text)
    with pytest.raises(DomainError, match="is cancelled; choose another"):
        registrations.register(ctx, "asb-cpd", "x@example.org", occurrence="4")
    occurrences.cancel_occurrence(ctx, "asb-cpd", "3")
    occurrences.cancel_occurrence(ctx, "asb-cpd", "2")
    with pytest.raises(DomainError, match="date 1 is the last date of 'asb-cpd' still on: cancel the session"):
        occurrences.cancel_occurrence(ctx, "asb-cpd", "1")
    assert catalogue.get_session(ctx, "asb-cpd").local_end.date().isoformat() == DATES[0]
    catalogue.cancel_session(ctx, "asb-cpd")
    [whole] = await deliver_all(ctx)  # date 4's person already had theirs
    assert whole.to == "one@example.org" and whole.calendar and whole.calendar.uid == "asb-cpd@kcst.test"
    assert "Other dates" not in whole.text  # the whole training is off: nothing to offer
    assert (whole.calendar.method, whole.calendar.sequence) == ("CANCEL", 1)


async def test_editing_a_date_updates_only_its_people(ctx, cpd):  # type: ignore[no-untyped-def]
    registrations.register(ctx, "asb-cpd", "one@example.org", occurrence="1")
    registrations.register(ctx, "asb-cpd", "two@example.org", occurrence="2")
    await deliver_all(ctx)
    change = occurrences.edit_occurrence(ctx, "asb-cpd", "2", venue="Gravesham Civic Centre")
    assert change.changed == ["venue"] and change.occurrence.sequence == 1
    [update] = await deliver_all(ctx)
    assert update.to == "two@example.org" and update.calendar and update.calendar.sequence == 1
    assert "Where: Gravesham Civic Centre" in _one_line(update.text)
    with pytest.raises(DomainError, match="has 4 dates: change venue on a date"):
        catalogue.edit_session(ctx, "asb-cpd", venue="Elsewhere")


def test_hybrid_in_person_full_while_online_has_places(ctx, make_session):  # type: ignore[no-untyped-def]
    make_session(
        "conf",
        title="Partnership conference",
        format=SessionFormat.HYBRID,
        venue="Oakwood House",
        join_link="https://teams.microsoft.com/l/x",
        capacity_in_person=2,
        capacity_online=200,
    )
    for n in range(2):
        registrations.register(ctx, "conf", f"room{n}@example.org", mode=AttendanceMode.IN_PERSON)
    waiting = registrations.register(ctx, "conf", "late@example.org", mode=AttendanceMode.IN_PERSON)
    online = registrations.register(ctx, "conf", "web@example.org", mode=AttendanceMode.ONLINE)
    assert waiting.waitlisted and online.registration.status is RegistrationStatus.CONFIRMED
    [places] = occurrences.occurrence_places(ctx, "conf")
    assert places.by_mode == {"in person": (2, 2, 0), "online": (200, 1, 199)}
    assert registrations.cancel_registration(ctx, "conf", "web@example.org").promoted == []
    promoted = registrations.cancel_registration(ctx, "conf", "room0@example.org").promoted
    assert [r.email for r in promoted] == ["late@example.org"]
    registrations.register(ctx, "conf", "web3@example.org", mode=AttendanceMode.ONLINE)
    with pytest.raises(DomainError, match="the in person places on Thursday 3 December 2026 are full"):
        registrations.set_mode(ctx, "conf", "web3@example.org", AttendanceMode.IN_PERSON)
