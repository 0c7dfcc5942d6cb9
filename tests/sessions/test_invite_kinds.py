"""Every kind of session mail, for every format, parses back with icalendar and vobject and says the right thing."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.policy import default

import pytest

from bulletin_tui.domain.sessions import AttendanceMode, SessionFormat, SessionStatus
from bulletin_tui.invites.ics import Invitee, Organizer, build_invite
from bulletin_tui.invites.message import InviteKind, Recipient, build_invite_email, http_date

from .ics_checks import parse_both

STAMP = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ORGANIZER = Organizer("kentcommunitysafetyteam@kent.gov.uk", "Kent Community Safety Team")


@pytest.mark.parametrize("kind", [k for k in InviteKind if k.method is not None])
@pytest.mark.parametrize(("fmt", "mode"), [
    (SessionFormat.ONLINE, AttendanceMode.ONLINE), (SessionFormat.IN_PERSON, AttendanceMode.IN_PERSON),
    (SessionFormat.HYBRID, AttendanceMode.ONLINE), (SessionFormat.HYBRID, AttendanceMode.IN_PERSON),
])
def test_kind_and_format(make_session, kind, fmt, mode):
    session = make_session("s1", start="2026-10-29 12:30", end="13:30", format=fmt, venue="Oakwood House",
                           join_link="https://teams.microsoft.com/l/meetup-join/x")
    if kind is InviteKind.CANCEL_SESSION:
        session = session.model_copy(update={"status": SessionStatus.CANCELLED, "sequence": 1})
    ics = build_invite(session, kind.method, ORGANIZER, Invitee("jo@example.org", "Jo"), stamp=STAMP)
    raw = build_invite_email(kind, session, Recipient("jo@example.org", "Jo", mode), ORGANIZER, ics,
                             date_header=http_date(STAMP), domain="kcst.test")
    message = email.message_from_bytes(raw, policy=default)
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    parsed = parse_both(calendar.get_payload(decode=True))
    cancels = kind in (InviteKind.CANCEL_SESSION, InviteKind.WITHDRAWN, InviteKind.MOVED)
    assert calendar.get_param("method") == parsed.method == ("CANCEL" if cancels else "REQUEST")
    assert parsed.status == ("CANCELLED" if cancels else "CONFIRMED")
    assert parsed.start_utc == datetime(2026, 10, 29, 12, 30, tzinfo=UTC)  # GMT again after 25 October
    text = message.get_body(("plain",)).get_content()
    assert "Thursday 29 October 2026" in text and "12.30 pm to 1.30 pm" in text
    online = fmt is SessionFormat.ONLINE or (fmt is SessionFormat.HYBRID and mode is AttendanceMode.ONLINE)
    if cancels:
        assert "How to join" not in text and "How to cancel" not in text
    else:
        joining = "How to join: Online\n  Join the session (Microsoft Teams):\n  https://teams.microsoft.com/"
        assert (joining in text.replace("\r\n", "\n")) is online
        assert ("Where: Oakwood House" in text) is not online
        assert "How to cancel" in text
