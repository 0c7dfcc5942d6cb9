"""Teams meetings made, linked, moved and cancelled through the Graph stand-in, written through the session
services: the join link on the session (or date), updates queued for everyone confirmed, nothing half-done."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.invites.message import InviteKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, occurrences, registrations
from bulletin_tui.services.sessions.mail import pending_mail
from bulletin_tui.services.teams import api, meetings, sync
from bulletin_tui.services.teams.graph import GraphClient
from bulletin_tui.services.teams.records import MeetingKind, meetings_of
from bulletin_tui.services.teams.sync import Change, pending_changes, sync_meetings

from .graph import ORGANISER_ID, UNLICENSED_ID, GraphState, Meeting

START = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


def a_meeting(graph: GraphState, organiser: str = ORGANISER_ID, start: datetime = START) -> Meeting:
    """A meeting someone made in Teams (not through bulletin-tui)."""
    thread = uuid.uuid4().hex
    made = Meeting("MSp" + thread, organiser, f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}"
                   "%40thread.v2/0?context=%7b%7d", "Made in Teams", start, start + timedelta(hours=1))
    graph.meetings[made.id] = made
    return made


def online(ctx: AppContext, client: GraphClient, slug: str = "s1", **fields: Any) -> meetings.MeetingMade:
    start, end = catalogue.parse_times(fields.pop("start", "2026-12-03 12:30"), fields.pop("end", "13:30"))
    return meetings.add_session_with_teams(ctx, graph=client, slug=slug, title=fields.pop("title", "CSIS: Scams"),
                                           start=start, end=end, **fields)


def test_a_session_made_with_its_teams_event(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    made = online(tctx, client, description="Spotting scams.")
    [event] = graph.events.values()
    assert made.session.join_link == event["onlineMeeting"]["joinUrl"] == made.meeting.join_url
    assert made.session.sequence == 0 and made.meeting.kind is MeetingKind.EVENT
    assert event["subject"] == "CSIS: Scams" and "attendees" not in event
    assert event["start"] == {"dateTime": "2026-12-03T12:30:00", "timeZone": "GMT Standard Time"}
    assert event["isOnlineMeeting"] is True and event["onlineMeetingProvider"] == "teamsForBusiness"
    assert event["transactionId"] == api.idempotency_key(made.session.uid)
    assert "Spotting scams." in event["body"]["content"]
    assert tctx.store.sessions.get("s1") == made.session


def test_british_summer_time_is_written_as_london_wall_clock(tctx: AppContext, client: GraphClient,
                                                             graph: GraphState) -> None:
    online(tctx, client, start="2027-06-10 12:30", end="13:30")
    [event] = graph.events.values()
    assert event["start"]["dateTime"] == "2027-06-10T12:30:00"  # 11:30 UTC
    [meeting] = graph.meetings.values()
    assert meeting.start == datetime(2027, 6, 10, 11, 30, tzinfo=UTC)


def test_a_standalone_online_meeting_when_asked(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    tctx.settings.teams.create_with = "online_meeting"
    made = online(tctx, client)
    [meeting] = graph.meetings.values()
    assert graph.events == {} and made.meeting.kind is MeetingKind.ONLINE_MEETING
    assert made.meeting.online_meeting_id == meeting.id and made.session.join_link == meeting.join_url
    assert (meeting.start, meeting.end) == (START, START + timedelta(hours=1))
    assert meeting.external_id == api.idempotency_key(made.session.uid)


@pytest.mark.parametrize("kind", [MeetingKind.EVENT, MeetingKind.ONLINE_MEETING])
def test_a_repeated_create_makes_one_meeting(tctx: AppContext, client: GraphClient, graph: GraphState,
                                             kind: MeetingKind) -> None:
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    view = catalogue.create_session(tctx, slug="s1", title="CSIS", start=start, end=end)
    first = api.create(client, ORGANISER_ID, kind, view)
    again = api.create(client, ORGANISER_ID, kind, view)  # e.g. the answer to the first was lost
    assert first.join_url == again.join_url and len(graph.meetings) == 1


def test_an_organiser_without_a_teams_licence_leaves_nothing_behind(tctx: AppContext, client: GraphClient,
                                                                    graph: GraphState) -> None:
    tctx.settings.teams.organiser = UNLICENSED_ID
    with pytest.raises(DomainError) as raised:
        online(tctx, client)
    assert str(raised.value) == (f"Microsoft Graph made no Teams meeting for {UNLICENSED_ID}: the organiser needs a "
                                 "Teams licence (a shared mailbox has none) -> set [teams] organiser to a "
                                 "Teams-licensed account")
    [event] = graph.events.values()
    assert event["isCancelled"], "the empty calendar event was removed"
    assert tctx.store.sessions.get("s1") is None and meetings_of(tctx, "s1") == []


def test_a_failed_write_cancels_the_meeting_just_made(tctx: AppContext, client: GraphClient, graph: GraphState,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(meetings, "create_session", broken)
    with pytest.raises(OSError):
        online(tctx, client)
    [meeting] = graph.meetings.values()
    assert meeting.cancelled and tctx.store.sessions.get("s1") is None and meetings_of(tctx, "s1") == []


@pytest.mark.parametrize(("fields", "said"), [
    ({"format": SessionFormat.IN_PERSON}, "a Teams meeting is for an online or hybrid session"),
    ({"join_link": "https://example.org/j"}, "gets its join link from Teams: leave out --link"),
    ({"end": "12:00"}, "session end must be after start"),
])
def test_refused_before_graph_is_asked(tctx: AppContext, client: GraphClient, graph: GraphState,
                                       fields: dict[str, Any], said: str) -> None:
    with pytest.raises(DomainError, match=said):
        online(tctx, client, **fields)
    assert graph.requests == []


def test_a_meeting_for_a_session_people_registered_for(tctx: AppContext, client: GraphClient,
                                                       graph: GraphState) -> None:
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(tctx, slug="s1", title="CSIS", start=start, end=end)
    for email in ("ann@example.org", "bob@example.org"):
        registrations.register(tctx, "s1", email)
    [made] = meetings.create_meetings(tctx, "s1", graph=client)
    assert made.notified == 2 and made.session.sequence == 1
    updates = [m for m in pending_mail(tctx, "s1") if m.kind is InviteKind.UPDATE]
    assert len(updates) == 2
    with pytest.raises(DomainError, match="no online or hybrid date without a Teams meeting"):
        meetings.create_meetings(tctx, "s1", graph=client)


def test_each_online_date_gets_its_own_meeting(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    start, end = catalogue.parse_times("2027-01-12 09:30", "12:30")
    catalogue.create_session(tctx, slug="asb", title="ASB CPD", start=start, end=end)
    for day, fmt in (("2027-01-19", SessionFormat.IN_PERSON), ("2027-01-26", SessionFormat.HYBRID)):
        more = catalogue.parse_times(f"{day} 09:30", "12:30")
        occurrences.add_occurrence(tctx, "asb", start=more[0], end=more[1], format=fmt, venue="Oakwood House")
    made = meetings.create_meetings(tctx, "asb", graph=client)
    assert [m.meeting.occurrence_id for m in made] == ["1", "3"]
    session = catalogue.get_session(tctx, "asb")
    links = {o.id: o.join_link for o in session.occurrences}
    assert links["2"] is None and links["1"] != links["3"] and len(graph.meetings) == 2


def test_an_existing_meeting_is_linked_by_its_join_link(tctx: AppContext, client: GraphClient,
                                                        graph: GraphState) -> None:
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(tctx, slug="s1", title="CSIS", start=start, end=end)
    theirs = a_meeting(graph)
    made = meetings.link_meeting(tctx, "s1", theirs.join_url, graph=client)
    assert (made.meeting.kind, made.meeting.online_meeting_id) == (MeetingKind.LINKED, theirs.id)
    assert catalogue.get_session(tctx, "s1").join_link == theirs.join_url
    other = a_meeting(graph, organiser=UNLICENSED_ID)
    catalogue.create_session(tctx, slug="s2", title="CSIS", start=start, end=end)
    with pytest.raises(DomainError, match=f"no Teams meeting with this join link is organised by {ORGANISER_ID}"):
        meetings.link_meeting(tctx, "s2", other.join_url, graph=client)


def test_a_new_time_moves_the_meeting_and_a_cancellation_cancels_it(tctx: AppContext, client: GraphClient,
                                                                    graph: GraphState) -> None:
    online(tctx, client)
    assert pending_changes(tctx) == []
    later = catalogue.parse_times("2026-12-03 14:00", "15:00")
    catalogue.edit_session(tctx, "s1", start=later[0], end=later[1], title="CSIS: Scams (moved)")
    [pending] = pending_changes(tctx)
    assert pending.change is Change.MOVE
    run = sync_meetings(tctx, graph=client)
    assert run.line() == "Teams meetings: 1 moved, 0 cancelled, 0 failed"
    [event], [meeting] = graph.events.values(), graph.meetings.values()
    assert event["start"]["dateTime"] == "2026-12-03T14:00:00" and event["subject"] == "CSIS: Scams (moved)"
    assert meeting.start == later[0] and pending_changes(tctx) == []
    catalogue.cancel_session(tctx, "s1")
    assert sync_meetings(tctx, graph=client).line() == "Teams meetings: 0 moved, 1 cancelled, 0 failed"
    assert event["isCancelled"] and meeting.cancelled
    assert pending_changes(tctx) == [] and meetings_of(tctx, "s1")[0].cancelled_at is not None


def test_a_standalone_meeting_is_patched_and_deleted(tctx: AppContext, client: GraphClient,
                                                     graph: GraphState) -> None:
    tctx.settings.teams.create_with = "online_meeting"
    online(tctx, client)
    later = catalogue.parse_times("2026-12-04 12:30", "13:30")
    catalogue.edit_session(tctx, "s1", start=later[0], end=later[1])
    sync_meetings(tctx, graph=client)
    [meeting] = graph.meetings.values()
    assert meeting.start == later[0]
    catalogue.cancel_session(tctx, "s1")
    sync_meetings(tctx, graph=client)
    assert meeting.cancelled and [m for m, p in graph.requests].count("DELETE") == 1


def test_a_cancelled_date_cancels_only_its_meeting(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    start, end = catalogue.parse_times("2027-01-12 09:30", "12:30")
    catalogue.create_session(tctx, slug="asb", title="ASB CPD", start=start, end=end)
    more = catalogue.parse_times("2027-01-19 09:30", "12:30")
    occurrences.add_occurrence(tctx, "asb", start=more[0], end=more[1])
    first, second = meetings.create_meetings(tctx, "asb", graph=client)
    occurrences.cancel_occurrence(tctx, "asb", "2")
    sync_meetings(tctx, "asb", graph=client)
    assert graph.meeting_of_join(second.meeting.join_url).cancelled
    assert not graph.meeting_of_join(first.meeting.join_url).cancelled


def test_a_linked_meeting_is_never_moved_and_that_is_said_once(tctx: AppContext, client: GraphClient,
                                                               graph: GraphState) -> None:
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(tctx, slug="s1", title="CSIS", start=start, end=end)
    theirs = a_meeting(graph)
    meetings.link_meeting(tctx, "s1", theirs.join_url, graph=client)
    graph.requests.clear()
    catalogue.edit_session(tctx, "s1", start=start + timedelta(hours=1), end=end + timedelta(hours=1))
    [done] = sync_meetings(tctx, graph=client).done
    assert done.ok and "linked, not made here: move it in Teams or Outlook yourself" in done.note
    assert graph.requests == [] and theirs.start == START
    assert pending_changes(tctx) == []


def test_a_refusal_is_recorded_and_retried_later(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    online(tctx, client)
    catalogue.edit_session(tctx, "s1", title="CSIS: renamed")
    graph.mailboxes = set()  # the admin narrowed the app's mailboxes
    run = sync_meetings(tctx, graph=client)
    assert run.failed and "403 ErrorAccessDenied" in run.line()
    [record] = meetings_of(tctx, "s1")
    assert "RBAC for Applications" in record.last_problem and len(pending_changes(tctx)) == 1
    graph.mailboxes = None
    assert not sync_meetings(tctx, graph=client).failed
    assert meetings_of(tctx, "s1")[0].last_problem == "" and pending_changes(tctx) == []


def test_a_join_link_changed_by_hand_detaches_the_meeting(tctx: AppContext, client: GraphClient,
                                                          graph: GraphState) -> None:
    online(tctx, client)
    catalogue.edit_session(tctx, "s1", join_link="https://teams.microsoft.com/meet/123?p=abc")
    [pending] = pending_changes(tctx)
    assert pending.change is Change.DETACH and not sync.needs_graph(pending)
    [done] = sync_meetings(tctx).done  # no Graph client needed, none built
    assert "changed by hand" in done.note and not next(iter(graph.meetings.values())).cancelled
