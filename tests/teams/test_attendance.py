"""Attendance taken from Teams through the Graph stand-in: matched by canonical address, minutes from the records
(summed over rejoins and restarted meetings), no-shows marked, name-only matches and unregistered attendees left
for a person; the worker's schedule (due, not yet, none, gone); refusals recorded; 300 attendees over pages."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.registrations import find_registration
from bulletin_tui.services.teams.attendance import (
    RETRY_EVERY,
    Outcome,
    due_meetings,
    fetch_due_attendance,
    take_attendance,
)
from bulletin_tui.services.teams.graph import GraphClient
from bulletin_tui.services.teams.records import AttendanceState, meetings_of
from bulletin_tui.services.teams.rounds import teams_round

from .graph import ORGANISER_UPN, GraphState, Meeting, attendance_record
from .test_meetings import START, online

END = START + timedelta(hours=1)
PEOPLE = {"ann@example.org": "Ann Able", "Bob.Smith@Kent.GOV.uk": "Bob Smith", "jo@bücher.example": "Jo Jones",
          "cat@example.org": "Cat Cole", "dan@example.org": "Dan Dare", "eve@example.org": "Eve East"}


def booked(ctx: AppContext, client: GraphClient, graph: GraphState) -> Meeting:
    made = online(ctx, client)
    for email, name in PEOPLE.items():
        registrations.register(ctx, "s1", email, name=name)
    return graph.meeting_of_join(made.meeting.join_url)


def held(graph: GraphState, meeting: Meeting) -> None:
    """What Teams wrote: a rehearsal the day before, the session, and the session restarted after a drop-out."""
    graph.add_report(meeting, START - timedelta(days=1), END - timedelta(days=1),
                     [attendance_record("ann@example.org", "Ann Able", 600, START - timedelta(days=1))])
    graph.add_report(meeting, START - timedelta(minutes=10), START + timedelta(minutes=40), [
        attendance_record(ORGANISER_UPN, "CSIS Team", 3000, START - timedelta(minutes=10), role="Organizer"),
        attendance_record("ann@example.org", "Ann Able", 1800, START, intervals=2),
        attendance_record("bob.smith@kent.gov.uk", "Bob Smith", 2400, START),
        attendance_record("JO@XN--BCHER-KVA.EXAMPLE", "Jo Jones", 2350, START),
        attendance_record(None, "Dan Dare", 2000, START),  # joined without signing in: a name only
        attendance_record("eve@example.org", "Eve East", 100, START),
        attendance_record("visitor@partner.example", "Val Visitor", 1500, START),
    ])
    graph.add_report(meeting, START + timedelta(minutes=42), END, [
        attendance_record("ann@example.org", "Ann Able", 1080, START + timedelta(minutes=42)),
    ])


def after(clock: FixedClock, **delta: float) -> None:
    clock.at = END + timedelta(**delta)


def test_attendance_from_the_teams_reports(tctx: AppContext, client: GraphClient, graph: GraphState,
                                           clock: FixedClock) -> None:
    meeting = booked(tctx, client, graph)
    held(graph, meeting)
    after(clock, minutes=40)
    [date] = take_attendance(tctx, "s1", min_minutes=5, graph=client)
    assert date.outcome is Outcome.TAKEN and date.result is not None
    assert date.note == ("3 attended, 2 no-shows, 1 too short, 1 matched by name only, 1 not registered")
    result = date.result
    assert result.matched_by_name == ["dan@example.org"] and result.not_registered == ["visitor@partner.example"]
    assert result.organisers == [ORGANISER_UPN] and result.too_short == ["eve@example.org"]
    marks = {email: (r.attended, r.attended_minutes) for email in PEOPLE
             for r in [find_registration(tctx, "s1", email)]}
    assert marks == {"ann@example.org": (True, 48), "Bob.Smith@Kent.GOV.uk": (True, 40),
                     "jo@bücher.example": (True, 39), "cat@example.org": (False, None),
                     "dan@example.org": (None, None), "eve@example.org": (False, None)}
    [record] = meetings_of(tctx, "s1")
    assert record.attendance_state is AttendanceState.TAKEN and len(record.attendance_reports) == 2
    assert record.online_meeting_id == meeting.id  # found once by the join link, kept
    assert "@" not in record.attendance_note, "counts only: no addresses stored"


def test_a_dry_run_changes_nothing(tctx: AppContext, client: GraphClient, graph: GraphState,
                                   clock: FixedClock) -> None:
    held(graph, booked(tctx, client, graph))
    after(clock, minutes=40)
    before = tctx.store.db.storage.generation
    [date] = take_attendance(tctx, "s1", write=False, graph=client)
    assert date.outcome is Outcome.PREVIEW and date.result is not None and len(date.result.matched) == 4
    assert tctx.store.db.storage.generation == before
    assert find_registration(tctx, "s1", "ann@example.org").attended is None
    graph.teams_policy.add(meetings_of(tctx, "s1")[0].organiser)
    after(clock, hours=1, minutes=RETRY_EVERY.total_seconds() / 60)
    assert fetch_due_attendance(tctx, graph=client).dates[0].outcome is Outcome.TAKEN
    assert meetings_of(tctx, "s1")[0].last_problem == ""


def test_not_over_yet_and_no_meeting(tctx: AppContext, client: GraphClient, graph: GraphState) -> None:
    booked(tctx, client, graph)
    [date] = take_attendance(tctx, "s1", graph=client)
    assert date.outcome is Outcome.NOT_OVER
    from bulletin_tui.domain.errors import DomainError
    from bulletin_tui.services.sessions import catalogue

    catalogue.create_session(tctx, slug="plain", title="CSIS", start=START, end=END)
    with pytest.raises(DomainError, match="session 'plain' has no Teams meeting .*sessions teams-create plain"):
        take_attendance(tctx, "plain", graph=client)


def test_the_worker_takes_each_date_once_when_it_is_due(tctx: AppContext, client: GraphClient, graph: GraphState,
                                                        clock: FixedClock) -> None:
    meeting = booked(tctx, client, graph)
    graph.requests.clear()
    for minutes in (-30, 10):  # before the end, and before Teams had time to write the report
        after(clock, minutes=minutes)
        assert fetch_due_attendance(tctx, graph=client).line() == "Teams attendance: none due"
    assert graph.requests == [], "nothing due: Graph is not asked"
    after(clock, minutes=31)
    run = fetch_due_attendance(tctx, graph=client)
    assert run.line() == "Teams attendance: 1 no report yet"
    assert meetings_of(tctx, "s1")[0].attendance_state is AttendanceState.WAITING
    after(clock, minutes=31 + RETRY_EVERY.total_seconds() / 60 - 1)
    assert due_meetings(tctx) == [], "not asked again within 15 minutes"
    held(graph, meeting)
    after(clock, minutes=31 + RETRY_EVERY.total_seconds() / 60)
    line = fetch_due_attendance(tctx, graph=client).line()
    assert line == "Teams attendance: 1 taken (4 attended, 1 no-shows, 2 to confirm)"
    after(clock, hours=5)
    assert due_meetings(tctx) == [] and fetch_due_attendance(tctx, graph=client).dates == []


def test_no_report_a_day_later_is_final(tctx: AppContext, client: GraphClient, graph: GraphState,
                                        clock: FixedClock) -> None:
    booked(tctx, client, graph)
    after(clock, days=2)
    [date] = fetch_due_attendance(tctx, graph=client).dates
    assert date.outcome is Outcome.NONE and "nobody joined" in date.note
    assert meetings_of(tctx, "s1")[0].attendance_state is AttendanceState.NONE and due_meetings(tctx) == []


def test_a_date_over_a_year_old_is_said_to_be_gone(tctx: AppContext, client: GraphClient, graph: GraphState,
                                                   clock: FixedClock) -> None:
    meeting = booked(tctx, client, graph)
    graph.add_report(meeting, START - timedelta(days=3), END - timedelta(days=3), [])  # another day's only
    after(clock, days=400)
    [date] = take_attendance(tctx, "s1", graph=client)
    assert date.outcome is Outcome.GONE
    assert date.note == ("the date was Thursday 3 December 2026: Teams keeps attendance reports for a year, this one "
                         "is gone (apply a downloaded report instead: bulletin-tui sessions import-attendance); 1 "
                         "report(s) of other days left out")
    assert meetings_of(tctx, "s1")[0].attendance_state is AttendanceState.GONE


def test_a_refusal_is_one_line_recorded_and_retried(tctx: AppContext, client: GraphClient, graph: GraphState,
                                                    clock: FixedClock) -> None:
    held(graph, booked(tctx, client, graph))
    graph.teams_policy.clear()  # the Teams admin withdrew the application access policy
    after(clock, hours=1)
    run = fetch_due_attendance(tctx, graph=client)
    [date] = run.dates
    assert date.outcome is Outcome.FAILED and "\n" not in date.note
    assert "(403 Forbidden: No application access policy found for this app.)" in date.note
    assert "Grant-CsApplicationAccessPolicy" in date.note
    assert run.line().startswith("Teams attendance: 1 failed (first failure: Microsoft Graph refused to find the "
                                 "online meeting by its join link (403 Forbidden")
    [record] = meetings_of(tctx, "s1")
    assert record.last_problem and record.attendance_state is AttendanceState.WAITING
    assert find_registration(tctx, "s1", "ann@example.org").attended is None


def test_300_attendees_over_several_pages(tctx: AppContext, client: GraphClient, graph: GraphState,
                                          clock: FixedClock) -> None:
    meeting = graph.meeting_of_join(online(tctx, client).meeting.join_url)
    people = [f"person{n:03d}@example.org" for n in range(320)]
    registrations_import = [registrations.register(tctx, "s1", email) for email in people]
    assert len(registrations_import) == 320
    came = people[:300]
    graph.add_report(meeting, START, END, [attendance_record(e.upper(), e, 3000 - n, START)
                                           for n, e in enumerate(came)])
    after(clock, hours=1)
    began = time.monotonic()
    [date] = fetch_due_attendance(tctx, graph=client).dates
    took = time.monotonic() - began
    assert date.result is not None and (len(date.result.matched), len(date.result.marked_absent)) == (300, 20)
    assert sum(1 for _, path in graph.requests if "attendanceRecords" in path) == 3  # 100 a page
    assert find_registration(tctx, "s1", came[-1]).attended_minutes == 45
    assert took < 5, f"300 attendees took {took:.1f} s"


def test_the_worker_round_moves_meetings_and_takes_attendance(tctx: AppContext, client: GraphClient,
                                                              graph: GraphState, clock: FixedClock) -> None:
    meeting = booked(tctx, client, graph)
    from bulletin_tui.services.sessions import catalogue

    catalogue.edit_session(tctx, "s1", title="CSIS: Scams and fraud")
    held(graph, meeting)
    after(clock, hours=1)
    line = asyncio.run(teams_round(tctx, graph=client))
    assert line == ("Teams meetings: 1 moved, 0 cancelled, 0 failed; "
                    "Teams attendance: 1 taken (4 attended, 1 no-shows, 2 to confirm)")
    assert meeting.subject == "CSIS: Scams and fraud"
    assert asyncio.run(teams_round(tctx, graph=client)) == "Teams: nothing to do"


def test_the_worker_round_costs_nothing_when_teams_is_off(ctx: AppContext) -> None:
    assert asyncio.run(teams_round(ctx)) == "Teams through Graph is off"
    assert datetime.now(UTC) > START - timedelta(days=10000)  # (no Graph, no token, no error)
