"""Editing a session's text or place updates confirmed registrants' calendars (read back from delivered mail)."""

from __future__ import annotations

import icalendar
import pytest

from bulletin_tui.services.sessions import catalogue, registrations

from .delivered import deliver_all


def _stamp_and_description(ics: bytes) -> tuple[object, str]:
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    return event.decoded("DTSTAMP"), str(event.get("DESCRIPTION", ""))


@pytest.mark.parametrize(("change", "raised"), [
    ({"title": "CSIS: Fraud and scams"}, False),
    ({"description": "Now with the Kent Police fraud team."}, False),
    ({"speakers": ["Kent Police"]}, False),
    ({"venue": "Sessions House, Maidstone"}, True),
])
async def test_text_and_venue_edits_reach_confirmed_calendars(ctx, clock, make_session, change, raised):
    make_session("s1", format="hybrid", venue="Oakwood House", capacity=1)
    registrations.register(ctx, "s1", "jo@example.org")
    registrations.register(ctx, "s1", "wait@example.org")  # waiting list: no calendar entry to update
    invite, waiting = await deliver_all(ctx)
    assert waiting.to == "wait@example.org" and waiting.calendar is None
    clock.advance(hours=1)
    result = catalogue.edit_session(ctx, "s1", **change)
    assert [r.email for r in result.notified] == ["jo@example.org"]
    [update] = await deliver_all(ctx)
    assert invite.calendar and update.calendar and update.to == "jo@example.org"
    assert update.calendar.uid == invite.calendar.uid and update.calendar.method == "REQUEST"
    assert update.calendar.sequence == invite.calendar.sequence + (1 if raised else 0)
    first_stamp, _ = _stamp_and_description(invite.ics)
    second_stamp, description = _stamp_and_description(update.ics)
    assert second_stamp > first_stamp  # equal SEQUENCE is ordered by DTSTAMP (RFC 5546 §2.1.5)
    if "title" in change:
        assert update.calendar.summary == change["title"]
    if "description" in change:
        assert change["description"] in description
    if "speakers" in change:
        assert "Speakers: Kent Police" in description


def test_two_edits_before_sending_queue_one_update(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "jo@example.org")
    catalogue.edit_session(ctx, "s1", title="First new title")
    catalogue.edit_session(ctx, "s1", description="And a description")
    from bulletin_tui.services.sessions.mail import pending_mail

    assert [m.kind.value for m in pending_mail(ctx)] == ["invite", "update"]


def test_cli_edit_title_and_speakers_reports_the_update(cli):
    cli("sessions", "add", "s1", "--title", "CSIS", "--start", "2026-12-03 12:30", "--end", "13:30")
    cli("sessions", "register", "s1", "jo@example.org")
    out = cli("sessions", "edit", "s1", "--title", "CSIS: Fraud", "--speaker", "Kent Police", "--speaker",
              "Victim Support")
    assert "Changed title, speakers (SEQUENCE 0); 1 update(s)" in out
    assert "Speakers:            Kent Police; Victim Support" in cli("sessions", "show", "s1")
    cli("sessions", "edit", "s1", "--speaker", "")
    assert "Speakers:" not in cli("sessions", "show", "s1")
