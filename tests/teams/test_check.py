"""`mail check` for Teams through Graph: a fresh Graph token, then one line per thing the app must be allowed to
do; with wrong permissions, one explained line per problem (not only the first), and exit 1."""

from __future__ import annotations

from bulletin_tui.config import Settings
from bulletin_tui.services.teams.check import teams_steps
from tests.conftest import CliRun
from tests.mailauth.entra import SECRET

from .graph import UNLICENSED_ID, GraphState


def test_every_step_passes_with_the_documented_set_up(teams_settings: Settings, graph: GraphState) -> None:
    steps = teams_steps(teams_settings)
    assert [(s.step, s.ok) for s in steps] == [("token", True), ("calendar", True), ("online meetings", True),
                                               ("attendance reports", True)]
    assert steps[0].detail.endswith("application permissions: Calendars.ReadWrite, OnlineMeetingArtifact.Read.All, "
                                    "OnlineMeetings.ReadWrite.All")
    assert all(method == "GET" for method, _ in graph.requests), "a check changes nothing"


def test_each_permission_problem_is_its_own_explained_line(teams_settings: Settings, graph: GraphState) -> None:
    graph.entra.graph_roles = {"Calendars.ReadWrite"}
    graph.teams_policy.clear()
    problems = [s for s in teams_steps(teams_settings) if not s.ok]
    lines = [s.line() for s in problems]
    assert all("\n" not in line for line in lines)
    assert lines == [
        "✗ teams permissions: the app has no Microsoft Graph application permission OnlineMeetings.Read.All or "
        "OnlineMeetings.ReadWrite.All -> grant it (Entra ID > App registrations > API permissions > Microsoft "
        "Graph > Application permissions), then Grant admin consent",
        "✗ teams permissions: the app has no Microsoft Graph application permission OnlineMeetingArtifact.Read.All "
        "-> grant it (Entra ID > App registrations > API permissions > Microsoft Graph > Application permissions), "
        "then Grant admin consent",
        lines[2], lines[3]]
    assert lines[2].startswith("✗ teams online meetings: Microsoft Graph refused to find the online meeting by its "
                               "join link (403 Forbidden: Missing role permissions on the request.")
    assert lines[3].startswith("✗ teams attendance reports: Microsoft Graph refused to read the meeting's "
                               "attendance reports (403 Forbidden: Missing role permissions")


def test_no_teams_policy_and_an_unlicensed_organiser(teams_settings: Settings, graph: GraphState) -> None:
    graph.teams_policy.clear()
    teams_settings.teams.organiser = UNLICENSED_ID
    failed = {s.step: s.detail for s in teams_steps(teams_settings) if not s.ok}
    assert set(failed) == {"calendar", "online meetings", "attendance reports"}
    assert failed["calendar"].startswith(f"{UNLICENSED_ID}'s calendar offers no Teams meetings (providers: none) "
                                         "-> the organiser needs a Teams licence")
    assert "No application access policy found for this app." in failed["online meetings"]


def test_a_refused_sign_in_is_the_token_step(teams_settings: Settings, graph: GraphState) -> None:
    graph.entra.secret = "rotated"
    [step] = teams_steps(teams_settings)
    assert (step.step, step.ok) == ("token", False) and "AADSTS7000215" in step.detail


def test_mail_check_lists_the_teams_problems_and_fails(teams_cli: CliRun, graph: GraphState) -> None:
    graph.teams_policy.clear()
    out = teams_cli("mail", "check", code=1)
    lines = out.splitlines()
    assert "✓ smtp settings: no SMTP host: messages go to the outbox folder" in lines
    teams = [line for line in lines if line.startswith(("✓ teams", "✗ teams"))]
    assert [line[:2] for line in teams] == ["✓ ", "✓ ", "✗ ", "✗ "]
    assert out.count("No application access policy found for this app.") == 2
    assert lines[-1].startswith("Fix: a Teams admin must grant this app a Teams application access policy")
    assert SECRET not in out


def test_without_teams_settings_mail_check_does_not_ask_graph(cli: CliRun, graph: GraphState) -> None:
    out = cli("mail", "check")
    assert "teams" not in out and graph.requests == []
