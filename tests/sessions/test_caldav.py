"""Every kind of invite PUT into a real Radicale server on loopback, fetched back and compared in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bulletin_tui.domain.sessions import InfoSession
from bulletin_tui.invites import InviteMethod, build_invite
from bulletin_tui.invites.ics import Invitee
from bulletin_tui.services.mailings.session_delivery import deliver_pending
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import MailOutcome, organizer_of

from .ics_checks import parse_both
from .radicale_server import Radicale
from .test_invites import _calendar_part


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()


@pytest.fixture
def calendar_path(radicale: Radicale, request: pytest.FixtureRequest) -> str:
    name = "".join(ch if ch.isalnum() else "-" for ch in request.node.name.lower())
    return radicale.make_calendar(name[-60:])


def _round_trip(radicale: Radicale, collection: str, data: bytes, session: InfoSession) -> None:
    sent = parse_both(data)
    path = f"{collection}{session.slug}.ics"
    assert radicale.put(path, data) in (201, 204)
    fetched = parse_both(radicale.get(path))
    assert (fetched.uid, fetched.sequence, fetched.start_utc, fetched.end_utc) == (
        sent.uid, sent.sequence, session.start.astimezone(UTC), session.end.astimezone(UTC))
    assert fetched.summary == sent.summary and fetched.status == sent.status


def _found_in_range(radicale: Radicale, collection: str, start: datetime, end: datetime) -> bool:
    """Ask the server itself (CalDAV time-range REPORT) whether an event overlaps [start, end)."""
    stamp = "%Y%m%dT%H%M%SZ"
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:getetag/></D:prop>
 <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
  <C:time-range start="{start.astimezone(UTC):{stamp}}" end="{end.astimezone(UTC):{stamp}}"/>
 </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>""".encode()
    status, answer = radicale.request("REPORT", collection, body, "application/xml; charset=utf-8")
    assert status == 207, answer
    return b".ics</" in answer


@pytest.mark.parametrize(("start", "end", "fold"), [
    ("2026-03-29 00:30", "03:30", None), ("2026-04-05 12:30", "13:30", None),
    ("2026-10-25 01:30", "01:45", 0), ("2026-10-25 01:30", "01:45", 1), ("2026-11-01 12:30", "13:30", None),
])
def test_dst_sessions_survive_the_server(ctx, make_session, radicale, calendar_path, start, end, fold):
    session = make_session("dst", start=start, end=end, fold=fold, title="DHR learning webinar")
    data = build_invite(session, InviteMethod.REQUEST, organizer_of(ctx), Invitee("a@example.org"),
                        stamp=ctx.clock.now())
    _round_trip(radicale, calendar_path, data, session)
    minute = timedelta(minutes=1)
    assert _found_in_range(radicale, calendar_path, session.start, session.start + minute)
    assert not _found_in_range(radicale, calendar_path, session.start - 60 * minute, session.start)
    assert not _found_in_range(radicale, calendar_path, session.end, session.end + 60 * minute)


def test_every_delivered_invite_update_and_cancel_survives_the_server(ctx, make_session, radicale, calendar_path):
    make_session("s1", capacity=1, title="CSIS: ASB; Fraud, \"scams\"", venue="Oakwood House, Maidstone")
    delivered = []
    registrations.register(ctx, "s1", "a@example.org", name="A Person")
    registrations.register(ctx, "s1", "b@example.org")
    delivered += deliver_pending(ctx)
    starts, ends = sessions.parse_times("2026-12-10 14:00", "15:00")
    sessions.edit_session(ctx, "s1", start=starts, end=ends)
    delivered += deliver_pending(ctx)
    registrations.cancel_registration(ctx, "s1", "a@example.org")  # b is promoted
    delivered += deliver_pending(ctx)
    sessions.cancel_session(ctx, "s1")
    delivered += deliver_pending(ctx)
    assert [(d.to, d.kind.value, d.outcome.value) for d in delivered] == [
        ("a@example.org", "invite", "sent"), ("b@example.org", "waitlisted", "sent"),
        ("a@example.org", "update", "sent"),
        ("a@example.org", "withdrawn", "sent"), ("b@example.org", "invite", "sent"),
        ("b@example.org", "cancel-session", "sent")]
    delivered = [d for d in delivered if d.outcome is MailOutcome.SENT and d.kind.method is not None]
    for number, item in enumerate(delivered):
        data = _calendar_part(item.message)
        session = sessions.get_session(ctx, "s1")
        sent = parse_both(data)  # the same resource is overwritten, as a client updates its copy
        assert radicale.put(f"{calendar_path}s1.ics", data) == (201 if number == 0 else 204)
        fetched = parse_both(radicale.get(f"{calendar_path}s1.ics"))
        assert (fetched.uid, fetched.sequence, fetched.start_utc, fetched.end_utc) == (
            session.uid, sent.sequence, sent.start_utc, sent.end_utc)
        assert fetched.sequence == [0, 1, 2, 1, 2][number]  # a: invite, update, CANCEL above both
        assert fetched.start_utc.day == (3 if number == 0 else 10)


def test_publish_file_survives_the_server(ctx, make_session, radicale, calendar_path, tmp_path: Path):
    from bulletin_tui.invites import publish_calendar

    session = make_session("pub", start="2026-12-03 12:30", end="13:30")
    _round_trip(radicale, calendar_path, publish_calendar(session, organizer_of(ctx), stamp=ctx.clock.now()),
                session)
