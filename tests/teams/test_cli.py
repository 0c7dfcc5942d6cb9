"""The Teams commands: `sessions add --teams`, `teams-create`, `teams-link`, `teams-sync`, `teams-meetings`, the
move or cancellation after `edit` / `cancel` / `edit-occurrence` / `cancel-occurrence`, `attendance --from-teams`,
and their one-line refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bulletin_tui.cli import app
from tests.conftest import CliRun
from tests.sessions.test_followup_cli import failing

from .graph import GraphState, attendance_record
from .test_meetings import a_meeting

START = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


def add(cli: CliRun, slug: str = "s1", *extra: str) -> str:
    return cli("sessions", "add", slug, "--title", "CSIS: Scams", "--start", "2026-12-03 12:30", "--end", "13:30",
               *extra)


def test_edit_and_cancel_move_and_cancel_the_meeting(teams_cli: CliRun, graph: GraphState) -> None:
    add(teams_cli, "s1", "--teams")
    [meeting] = graph.meetings.values()
    out = teams_cli("sessions", "edit", "s1", "--start", "2026-12-03 14:00")
    assert "Teams: session 's1': meeting moved" in out
    assert meeting.start == START + timedelta(hours=1, minutes=30)
    assert "Teams: session 's1': meeting cancelled" in teams_cli("sessions", "cancel", "s1")
    assert meeting.cancelled


def test_graph_down_during_an_edit_is_a_warning_and_teams_sync_catches_up(teams_cli: CliRun,
                                                                          graph: GraphState) -> None:
    add(teams_cli, "s1", "--teams")
    [meeting] = graph.meetings.values()
    graph.throttle = ["900"]  # longer than anyone waits
    result = teams_cli.runner.invoke(
        app, ["--data-dir", str(teams_cli.data_dir), "sessions", "edit", "s1", "--title", "CSIS: Scams (new title)"])
    assert result.exit_code == 0, result.output
    assert "Changed title" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("Warning: Teams")]
    assert "429 TooManyRequests" in warning and "retry: bulletin-tui sessions teams-sync s1" in warning
    assert meeting.subject == "CSIS: Scams"
    assert "! Microsoft Graph refused" in teams_cli("sessions", "teams-meetings")
    out = teams_cli("sessions", "teams-sync")
    assert "✓ session 's1': moved" in out and meeting.subject == "CSIS: Scams (new title)"
    assert teams_cli("sessions", "teams-sync").strip() == "Teams meetings in step"


def test_teams_create_for_several_dates_and_their_own_edits(teams_cli: CliRun, graph: GraphState) -> None:
    add(teams_cli, "asb")
    teams_cli("sessions", "add-occurrence", "asb", "--start", "2026-12-10 12:30", "--end", "13:30")
    teams_cli("sessions", "register", "asb", "ann@example.org", "--occurrence", "1")
    out = teams_cli("sessions", "teams-create", "asb")
    assert "Teams meeting made for date 1 of asb" in out and "Teams meeting made for date 2 of asb" in out
    assert "; 1 update(s);" in out and "  update          ann@example.org" in out  # date 1's person, sent
    assert len(graph.meetings) == 2
    moved = teams_cli("sessions", "edit-occurrence", "asb", "2", "--start", "2026-12-10 13:00")
    assert "Teams: date 2 of 'asb': meeting moved" in moved
    cancelled = teams_cli("sessions", "cancel-occurrence", "asb", "2", "--yes")
    assert "Teams: date 2 of 'asb': meeting cancelled" in cancelled
    assert sorted(m.cancelled for m in graph.meetings.values()) == [False, True]


def test_link_an_existing_meeting_and_take_its_attendance(teams_cli: CliRun, graph: GraphState,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    add(teams_cli)
    teams_cli("sessions", "register", "s1", "ann@example.org", "--name", "Ann Able")
    teams_cli("sessions", "register", "s1", "dan@example.org", "--name", "Dan Dare")
    theirs = a_meeting(graph)
    out = teams_cli("sessions", "teams-link", "s1", theirs.join_url)
    assert "Linked the Teams meeting to s1; 2 update(s)" in out
    assert "already has a Teams meeting" in failing(teams_cli.data_dir, "sessions", "teams-link", "s1",
                                                      theirs.join_url)
    monkeypatch.setenv("BULLETIN_NOW", "2026-12-03T13:45:00+00:00")
    graph.add_report(theirs, START, START + timedelta(hours=1), [
        attendance_record("ann@example.org", "Ann Able", 3000, START),
        attendance_record(None, "Dan Dare", 3000, START)])
    preview = teams_cli("sessions", "attendance", "s1", "--from-teams", "--dry-run")
    assert preview.startswith("session 's1': would be taken: 1 attended, 0 no-shows")
    out = teams_cli("sessions", "attendance", "s1", "--from-teams")
    assert "to confirm (matched by name only, left unmarked; if right: bulletin-tui sessions attendance s1 " \
           "EMAIL --mark attended):\n    dan@example.org" in out
    registrations = teams_cli("sessions", "registrations", "s1", "--json")
    assert '"attended":true' in registrations.replace(" ", "") and '"attended":null' in registrations.replace(" ", "")


@pytest.mark.parametrize(("args", "said"), [
    (("sessions", "attendance", "s1", "--from-teams"), "session 's1' has no Teams meeting (make one: bulletin-tui "
                                                       "sessions teams-create s1"),
    (("sessions", "attendance", "s1"), "give the person's EMAIL, or --from-teams"),
    (("sessions", "add", "s2", "--title", "T", "--start", "2026-12-03 12:30", "--end", "13:30", "--teams", "--link",
      "https://example.org/j"), "leave out --link"),
    (("sessions", "teams-link", "s1", "not a link"), "join link: must start with https://"),
])
def test_one_line_refusals(teams_cli: CliRun, graph: GraphState, args: tuple[str, ...], said: str) -> None:
    add(teams_cli)
    assert said in failing(teams_cli.data_dir, *args)


def test_without_teams_settings_the_commands_say_how_to_turn_it_on(cli: CliRun) -> None:
    add(cli)
    said = failing(cli.data_dir, "sessions", "teams-create", "s1")
    assert "Teams through Microsoft Graph is off: set [teams] organiser" in said
    assert "Changed title" in cli("sessions", "edit", "s1", "--title", "New")  # no meeting: nothing else to do


def test_a_refused_attendance_is_one_line_and_exit_1(teams_cli: CliRun, graph: GraphState,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    add(teams_cli, "s1", "--teams")
    graph.teams_policy.clear()
    monkeypatch.setenv("BULLETIN_NOW", "2026-12-03T14:00:00+00:00")
    said = failing(teams_cli.data_dir, "sessions", "attendance", "s1", "--from-teams")
    line = [x for x in said.splitlines() if x.startswith("bulletin-tui:")]
    assert len(line) == 1 and "(403 Forbidden: No application access policy found for this app.)" in line[0]
