"""The Graph client against the HTTPS stand-in with real MSAL tokens: throttling honoured (and capped), pages
followed, and refusals explained in one line with Graph's own code and message."""

from __future__ import annotations

import pytest

from bulletin_tui.services.teams.explain import ATTENDANCE, CALENDAR_READ, MEETING_READ
from bulletin_tui.services.teams.graph import GraphClient, GraphError, user_path
from bulletin_tui.services.teams.wiring import graph_client

from .conftest import Waits
from .graph import ORGANISER_ID, GraphState, attendance_record
from .test_meetings import a_meeting

CALENDAR = f"{user_path(ORGANISER_ID)}/calendar"


def test_a_graph_token_is_asked_for_graph_and_carries_the_granted_permissions(client: GraphClient,
                                                                              graph: GraphState) -> None:
    assert client.get(CALENDAR, CALENDAR_READ)["allowedOnlineMeetingProviders"] == ["teamsForBusiness"]
    assert graph.entra.scopes == ["https://graph.microsoft.com/.default"]
    client.get(CALENDAR, CALENDAR_READ)
    assert graph.entra.grants == ["client_credentials"], "the second request used the cached token"


def test_429_is_retried_after_the_retry_after_it_gives(client: GraphClient, graph: GraphState, waits: Waits) -> None:
    graph.throttle = ["3", "7"]
    assert client.get(CALENDAR, CALENDAR_READ)["name"] == "Calendar"
    assert waits == [3.0, 7.0]
    assert [method for method, _ in graph.requests] == ["GET"] * 3


def test_a_wait_longer_than_the_cap_is_not_waited_but_said(client: GraphClient, graph: GraphState,
                                                             waits: Waits) -> None:
    graph.throttle = ["600"]
    with pytest.raises(GraphError) as raised:
        client.get(CALENDAR, CALENDAR_READ)
    assert waits == [] and raised.value.status == 429
    line = str(raised.value)
    assert "\n" not in line and "429 TooManyRequests" in line and "asked to wait 600 s" in line


def test_throttling_that_never_ends_gives_up_after_max_retries(client: GraphClient, graph: GraphState,
                                                               waits: Waits) -> None:
    graph.throttle = ["1"] * 10
    with pytest.raises(GraphError, match="throttling"):
        client.get(CALENDAR, CALENDAR_READ)
    assert waits == [1.0] * client.max_retries and len(graph.requests) == client.max_retries + 1


def test_a_real_wait_is_honoured(teams_settings, graph: GraphState) -> None:  # type: ignore[no-untyped-def]
    import time

    real = graph_client(teams_settings)
    graph.throttle = ["1"]
    began = time.monotonic()
    real.get(CALENDAR, CALENDAR_READ)
    assert time.monotonic() - began >= 1.0


def test_every_page_is_followed(client: GraphClient, graph: GraphState) -> None:
    meeting = a_meeting(graph)
    records = [attendance_record(f"p{n}@example.org", f"P {n}", 60 * n, meeting.start) for n in range(25)]
    report = graph.add_report(meeting, meeting.start, meeting.end, records)
    graph.page_size = 10
    path = f"{user_path(ORGANISER_ID)}/onlineMeetings/{meeting.id}/attendanceReports/{report}/attendanceRecords"
    got = list(client.pages(path, ATTENDANCE))
    assert [r["emailAddress"] for r in got] == [r["emailAddress"] for r in records]
    assert sum(1 for _, p in graph.requests if "attendanceRecords" in p) == 3


def test_a_next_page_on_another_host_is_refused(client: GraphClient, graph: GraphState) -> None:
    meeting = a_meeting(graph)
    graph.add_report(meeting, meeting.start, meeting.end, [])
    graph.add_report(meeting, meeting.start, meeting.end, [])
    graph.page_size = 1
    graph.base = "https://graph.elsewhere.example"  # its next links now point there: the token must not follow
    path = f"{user_path(ORGANISER_ID)}/onlineMeetings/{meeting.id}/attendanceReports"
    with pytest.raises(GraphError, match="a next page on another host"):
        list(client.pages(path, ATTENDANCE))


def test_a_missing_permission_is_graphs_403_explained_in_one_line(client: GraphClient, graph: GraphState) -> None:
    graph.entra.graph_roles.discard("OnlineMeetingArtifact.Read.All")
    meeting = a_meeting(graph)
    with pytest.raises(GraphError) as raised:
        client.get(f"{user_path(ORGANISER_ID)}/onlineMeetings/{meeting.id}/attendanceReports", ATTENDANCE)
    error = raised.value
    assert (error.status, error.code) == (403, "Forbidden") and error.permission_problem
    line = str(error)
    assert "\n" not in line
    assert line.startswith("Microsoft Graph refused to read the meeting's attendance reports (403 Forbidden: "
                           "Missing role permissions on the request.")
    assert "-> grant the app the Microsoft Graph application permission OnlineMeetingArtifact.Read.All" in line
    assert "Teams application access policy" in line


def test_no_teams_access_policy_is_explained(client: GraphClient, graph: GraphState) -> None:
    graph.teams_policy.clear()
    with pytest.raises(GraphError) as raised:
        client.get(f"{user_path(ORGANISER_ID)}/onlineMeetings", MEETING_READ, query="$filter=x")
    line = str(raised.value)
    assert "(403 Forbidden: No application access policy found for this app.)" in line
    assert "-> a Teams admin must grant this app a Teams application access policy" in line
    assert "Grant-CsApplicationAccessPolicy" in line


def test_a_mailbox_outside_the_apps_scope_is_explained(client: GraphClient, graph: GraphState) -> None:
    graph.mailboxes = set()
    with pytest.raises(GraphError) as raised:
        client.get(CALENDAR, CALENDAR_READ)
    line = str(raised.value)
    assert "403 ErrorAccessDenied: Access to OData is disabled" in line
    assert "RBAC for Applications" in line and "Calendars.ReadWrite" in line


def test_a_token_for_another_resource_is_401(client: GraphClient, graph: GraphState) -> None:
    outlook = graph.entra.access_token()["access_token"]  # an Exchange Online token, not a Graph one
    from bulletin_tui.sending.xoauth2 import AccessToken

    wrong = GraphClient(client.base_url, lambda: AccessToken(outlook, 2e9))
    with pytest.raises(GraphError, match=r"\(401 InvalidAuthenticationToken: .*\) -> check \[oauth\] tenant"):
        wrong.get(CALENDAR, CALENDAR_READ)


def test_an_unknown_organiser_is_named(client: GraphClient) -> None:
    with pytest.raises(GraphError, match=r"404 ErrorInvalidUser.* -> check \[teams\] organiser"):
        client.get(f"{user_path('nobody@kent.gov.uk')}/calendar", CALENDAR_READ)


def test_graph_out_of_reach_is_one_line(client: GraphClient) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = GraphClient(f"https://127.0.0.1:{port}/v1.0", client.token_source, max_retries=0)
    with pytest.raises(GraphError, match=r"^cannot reach Microsoft Graph to read the organiser's calendar \(127"):
        gone.get(CALENDAR, CALENDAR_READ)


def test_the_token_is_never_in_an_error_or_repr(client: GraphClient, graph: GraphState) -> None:
    graph.teams_policy.clear()
    token = client.token_source().token
    with pytest.raises(GraphError) as raised:
        client.get(f"{user_path(ORGANISER_ID)}/onlineMeetings", MEETING_READ, query="$filter=x")
    assert token not in str(raised.value) and token not in repr(client)
