"""The waiting list hears about itself: its place on joining, a promotion's invite, and a cancelled session.
Also: every invite says exactly how to cancel a place (RSVP=TRUE:
a calendar Decline reaches the team mailbox, where `inbox fetch` frees the place)."""

from __future__ import annotations

import icalendar

from bulletin_tui.services.sessions import catalogue, registrations

from .delivered import deliver_all


def _one_line(text: str) -> str:
    return " ".join(text.split())


async def test_joining_the_waiting_list_tells_each_person_their_place(ctx, make_session):
    make_session("s1", capacity=1, title="CSIS")
    for name in ("a", "b", "c"):
        registrations.register(ctx, "s1", f"{name}@example.org")
    invite, first, second = await deliver_all(ctx)
    assert invite.calendar is not None and invite.to == "a@example.org"
    assert (first.to, second.to) == ("b@example.org", "c@example.org")
    for received, place in ((first, 1), (second, 2)):
        assert received.calendar is None and received.message.get_content_type() == "multipart/alternative"
        assert received.message["Subject"] == "Waiting list: CSIS, Thursday 3 December 2026"
        assert f"Waiting list: number {place} (places are offered in this order)" in _one_line(received.text)
        html = received.message.get_body(("html",))
        assert html is not None and f"number {place}" in html.get_content()


async def test_promotion_says_a_place_came_free_and_a_cancelled_session_reaches_the_waiting(ctx, make_session):
    make_session("s1", capacity=1, title="CSIS")
    for name in ("a", "b", "c"):
        registrations.register(ctx, "s1", f"{name}@example.org")
    await deliver_all(ctx)
    registrations.cancel_registration(ctx, "s1", "a@example.org")
    withdrawn, promoted = await deliver_all(ctx)
    assert withdrawn.calendar is not None and withdrawn.calendar.method == "CANCEL"
    assert promoted.to == "b@example.org" and promoted.calendar and promoted.calendar.method == "REQUEST"
    assert "a place has come free on the session below, and it is yours" in _one_line(promoted.text)
    catalogue.cancel_session(ctx, "s1")
    cancelled = {m.to: m for m in await deliver_all(ctx)}
    assert cancelled["b@example.org"].calendar and cancelled["b@example.org"].calendar.method == "CANCEL"
    waiting = cancelled["c@example.org"]
    assert waiting.calendar is None and waiting.message["Subject"] == "Cancelled: CSIS, Thursday 3 December 2026"
    assert "for which you were on the waiting list, has been cancelled" in _one_line(waiting.text)


async def test_the_invite_says_exactly_how_to_cancel_a_place(ctx, make_session):
    make_session("s1", title="CSIS")
    registrations.register(ctx, "s1", "a@example.org")
    [invite] = await deliver_all(ctx)
    team = ctx.settings.sender.from_address
    text = _one_line(invite.text)
    assert (f'How to cancel: Decline the invitation in your calendar, or reply to this e-mail, or write to {team}, '
            f'with the subject "Cancel: CSIS, Thursday 3 December 2026".') in text
    attendee = icalendar.Calendar.from_ical(invite.ics).walk("VEVENT")[0]["ATTENDEE"]
    assert attendee.params["RSVP"] == "TRUE"  # a Decline reaches the team mailbox; `inbox fetch` frees the place
