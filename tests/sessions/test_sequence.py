"""SEQUENCE per attendee: a withdrawal's CANCEL and a re-invite each raise it, read back from delivered messages."""

from __future__ import annotations

from bulletin_tui.services.sessions import catalogue, registrations

from .delivered import deliver_all


async def test_withdrawal_cancel_raises_sequence_above_the_last_request(ctx, make_session):
    make_session("s1", start="2026-12-03 12:30", end="13:30")
    registrations.register(ctx, "s1", "jo@example.org")
    received = await deliver_all(ctx)
    start, end = catalogue.parse_times("2026-12-03 13:00", "14:00")
    catalogue.edit_session(ctx, "s1", start=start, end=end)
    received += await deliver_all(ctx)
    registrations.cancel_registration(ctx, "s1", "jo@example.org")
    received += await deliver_all(ctx)
    calendars = [m.calendar for m in received]
    assert [(c.method, c.sequence) for c in calendars if c] == [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]
    assert len({c.uid for c in calendars if c}) == 1


async def test_reregistering_after_withdrawal_never_repeats_a_sequence(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "jo@example.org")
    received = await deliver_all(ctx)
    registrations.cancel_registration(ctx, "s1", "jo@example.org")
    received += await deliver_all(ctx)
    registrations.register(ctx, "s1", "jo@example.org")
    received += await deliver_all(ctx)
    registrations.cancel_registration(ctx, "s1", "jo@example.org")
    received += await deliver_all(ctx)
    steps = [(m.calendar.method, m.calendar.sequence) for m in received if m.calendar]
    assert steps == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2), ("CANCEL", 3)]


async def test_promotion_after_withdrawal_and_waiting_list_is_a_new_sequence(ctx, make_session):
    make_session("s1", capacity=1)
    registrations.register(ctx, "s1", "jo@example.org")
    received = await deliver_all(ctx)
    registrations.cancel_registration(ctx, "s1", "jo@example.org")
    registrations.register(ctx, "s1", "al@example.org")
    received += await deliver_all(ctx)
    registrations.register(ctx, "s1", "jo@example.org")  # waiting list now
    registrations.cancel_registration(ctx, "s1", "al@example.org")  # jo is promoted
    received += await deliver_all(ctx)
    jo = [m.calendar for m in received if m.to == "jo@example.org" and m.calendar]
    assert [(c.method, c.sequence) for c in jo] == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]
