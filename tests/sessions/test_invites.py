"""Invites: golden .ics files, parsed back by icalendar and vobject, the e-mail's MIME shape, updates, cancels."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.policy import default

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.invites import InviteMethod, Organizer, build_invite, google_calendar_link, publish_calendar
from bulletin_tui.invites.ics import Invitee
from bulletin_tui.invites.vtimezone import london_vtimezone
from bulletin_tui.services.mailings.session_delivery import deliver_pending
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import pending_mail

from .ics_checks import parse_both

STAMP = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ORGANIZER = Organizer("kentcommunitysafetyteam@kent.gov.uk", "Kent Community Safety Team")
TRICKY_TITLE = "CSIS: Fish FEST, low-level ASB; \\ \"quotes\" & Ümlauts"


class IcsSnapshot(SingleFileSnapshotExtension):
    _file_extension = "ics"


@pytest.fixture
def ics_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(IcsSnapshot)


@pytest.fixture
def session(make_session):  # type: ignore[no-untyped-def]
    return make_session(
        "csis-2026-12-03", title=TRICKY_TITLE, start="2026-12-03 12:30", end="13:30", capacity=40,
        description="Lunchtime learning on anti-social behaviour.\nBring questions, please.",
        join_link="https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo%40thread.v2/0?context=%7b%7d",
        topics=["Anti-social behaviour", "Fraud"], speakers=["Kent Police"],
    )


def test_request_golden_and_round_trip(session, ics_snapshot):
    data = build_invite(session, InviteMethod.REQUEST, ORGANIZER, Invitee("Jo.Bloggs@example.org", "Jo Bloggs"),
                        stamp=STAMP)
    assert data == ics_snapshot
    parsed = parse_both(data)
    assert (parsed.method, parsed.uid, parsed.sequence, parsed.status) == ("REQUEST", session.uid, 0, "CONFIRMED")
    assert parsed.summary == TRICKY_TITLE
    assert (parsed.start_utc, parsed.end_utc) == (datetime(2026, 12, 3, 12, 30, tzinfo=UTC),
                                                  datetime(2026, 12, 3, 13, 30, tzinfo=UTC))
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert "ORGANIZER;CN=\"Kent Community Safety Team\":mailto:kentcommunitysafetyteam@kent.gov.uk" in unfolded
    assert "ATTENDEE;CN=\"Jo Bloggs\"" in unfolded and "mailto:Jo.Bloggs@example.org" in unfolded


def test_cancel_and_publish_golden(session, ics_snapshot):
    cancel = build_invite(session, InviteMethod.CANCEL, ORGANIZER, Invitee("jo@example.org"), stamp=STAMP)
    publish = publish_calendar(session, ORGANIZER, stamp=STAMP)
    assert cancel == ics_snapshot(name="cancel")
    assert publish == ics_snapshot(name="publish")
    assert (parse_both(cancel).method, parse_both(cancel).status) == ("CANCEL", "CANCELLED")
    assert parse_both(publish).method == "PUBLISH"
    assert b"ATTENDEE" not in publish


def test_vtimezone_is_compact_and_rule_based():
    zone = london_vtimezone().to_ical()
    assert len(zone) < 600
    assert b"RDATE" not in zone
    assert zone.count(b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=") == 2


def test_invite_email_shape(ctx, session):
    registrations.register(ctx, session.slug, "jo@example.org", name="Jo Bloggs")
    [delivered] = deliver_pending(ctx)
    message = email.message_from_bytes(delivered.message, policy=default)
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html, calendar = alternative.get_payload()
    assert [text.get_content_type(), html.get_content_type()] == ["text/plain", "text/html"]
    assert calendar.get_content_type() == "text/calendar" and calendar.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == calendar.get_content().encode() if isinstance(
        calendar.get_content(), str) else attachment.get_content() == calendar.get_content()
    body = text.get_content()
    assert "Thursday 3 December 2026" in body and "12.30 pm to 1.30 pm" in body
    assert "Join the session (Microsoft Teams):\r\n  https://teams.microsoft.com/" in body and "How to cancel" in body
    assert "&lt;" not in body and "&amp;" in html.get_content()  # the title's & is escaped in HTML only
    assert message["To"] == "Jo Bloggs <jo@example.org>"
    assert parse_both(attachment.get_content()).sequence == 0
    assert pending_mail(ctx) == []


def test_change_of_time_bumps_sequence_and_updates_confirmed_only(ctx, make_session):
    make_session("s1", capacity=1, join_link="https://teams.microsoft.com/l/old")
    registrations.register(ctx, "s1", "in@example.org")
    registrations.register(ctx, "s1", "waiting@example.org")
    deliver_pending(ctx)
    starts, ends = sessions.parse_times("2026-12-10 14:00", "15:00")
    change = sessions.edit_session(ctx, "s1", start=starts, end=ends)
    assert change.session.sequence == 1 and [r.email for r in change.notified] == ["in@example.org"]
    [update] = deliver_pending(ctx)
    calendar = _calendar_part(update.message)
    parsed = parse_both(calendar)
    assert (parsed.sequence, parsed.start_utc) == (1, datetime(2026, 12, 10, 14, 0, tzinfo=UTC))
    assert sessions.edit_session(ctx, "s1", title="New title only").session.sequence == 1
    assert sessions.edit_session(ctx, "s1", join_link="https://teams.microsoft.com/l/new").session.sequence == 2


def test_cancelling_a_session_sends_cancel_with_higher_sequence(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "a@example.org")
    registrations.register(ctx, "s1", "b@example.org")
    deliver_pending(ctx)
    change = sessions.cancel_session(ctx, "s1")
    sent = deliver_pending(ctx)
    assert {d.to for d in sent} == {"a@example.org", "b@example.org"}
    for delivered in sent:
        raw = delivered.message
        parsed = parse_both(_calendar_part(raw))
        assert (parsed.method, parsed.status, parsed.sequence) == ("CANCEL", "CANCELLED", change.session.sequence)
        assert email.message_from_bytes(raw, policy=default)["Subject"].strip().startswith("Cancelled: ")


def test_withdrawal_sends_cancel_to_that_person_only(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "a@example.org")
    registrations.register(ctx, "s1", "b@example.org")
    deliver_pending(ctx)
    registrations.cancel_registration(ctx, "s1", "a@example.org")
    [sent] = deliver_pending(ctx)
    assert sent.to == "a@example.org"
    parsed = parse_both(_calendar_part(sent.message))
    assert (parsed.method, parsed.status) == ("CANCEL", "CANCELLED")


def test_in_person_invite_names_the_venue_not_a_link(ctx, make_session):
    make_session("room", format=SessionFormat.IN_PERSON, venue="Sessions House, County Road, Maidstone ME14 1XQ")
    registrations.register(ctx, "room", "a@example.org")
    [sent] = deliver_pending(ctx)
    raw = sent.message
    text = email.message_from_bytes(raw, policy=default).get_body(("plain",)).get_content()
    assert "Where: Sessions House, County Road, Maidstone ME14 1XQ" in text and "How to join" not in text
    assert "LOCATION:Sessions House\\, County Road\\, Maidstone ME14 1XQ" in _calendar_part(raw).replace(
        b"\r\n ", b"").decode()


def test_add_to_calendar_link_uses_utc(session):
    assert "dates=20261203T123000Z%2F20261203T133000Z" in google_calendar_link(session)


def _calendar_part(raw: bytes) -> bytes:
    message = email.message_from_bytes(raw, policy=default)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)  # type: ignore[no-any-return]
    raise AssertionError("no text/calendar part")


def test_categories_with_commas_and_semicolons_are_escaped(make_session):
    import vobject

    session = make_session("cats", topics=["Fish FEST, low-level ASB", "Fraud; scams"])
    data = publish_calendar(session, ORGANIZER, stamp=STAMP)
    assert b"CATEGORIES:Fish FEST\\, low-level ASB,Fraud\\; scams\r\n" in data
    assert vobject.readOne(data.decode()).vevent.categories.value == ["Fish FEST, low-level ASB", "Fraud; scams"]
