"""A local stand-in for Microsoft Graph over HTTPS (the test CA, 127.0.0.1): the requests bulletin-tui makes for
Teams meetings and attendance, answered in Graph's documented shapes.

Tokens must be RS256 JWTs the Entra stand-in issued for `https://graph.microsoft.com` (else 401
InvalidAuthenticationToken); a request needs the application permission its API documents (the token's `roles`),
the online-meeting APIs also a Teams application access policy for the user in the path, the calendar APIs a
mailbox the app may use (RBAC for Applications), each refused with 403 and Graph's error body. Served:
- `GET /users/{id}/calendar` (allowedOnlineMeetingProviders: teamsForBusiness for a Teams-licensed user);
- `POST /users/{id}/events` (isOnlineMeeting + teamsForBusiness makes an online meeting, `onlineMeeting.joinUrl`;
  `transactionId` makes a retry return the first event), `PATCH` / `DELETE .../events/{id}`, `POST .../cancel`;
- `POST /users/{id}/onlineMeetings/createOrGet` (externalId), `PATCH` / `DELETE .../onlineMeetings/{id}`;
- `GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '...'` (404 when none);
- `GET .../onlineMeetings/{id}/attendanceReports` and `.../attendanceReports/{id}/attendanceRecords`, paged
  (`page_size`) with an absolute `@odata.nextLink`.
`throttle` answers the next requests 429 with a Retry-After each; every request is logged in `requests`.
"""

from __future__ import annotations

import json
import ssl
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import jwt

from tests.mailauth.entra import GRAPH, EntraState
from tests.mailauth.pki import Pki

ORGANISER_ID = "6f1c2d3e-0000-4000-8000-00000000a11c"
ORGANISER_UPN = "csis.team@kent.gov.uk"
UNLICENSED_ID = "6f1c2d3e-0000-4000-8000-0000000000b0"
UNLICENSED_UPN = "kentcommunitysafetyteam@kent.gov.uk"  # the shared mailbox: no Teams licence
READ_MEETINGS = {"OnlineMeetings.Read.All", "OnlineMeetings.ReadWrite.All"}
ZONES = {"GMT Standard Time": ZoneInfo("Europe/London"), "UTC": ZoneInfo("UTC")}


@dataclass
class Meeting:
    id: str
    organiser: str
    join_url: str
    subject: str
    start: datetime
    end: datetime
    external_id: str = ""
    cancelled: bool = False
    reports: list[dict[str, Any]] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "joinWebUrl": self.join_url, "subject": self.subject, "externalId": self.external_id,
                "startDateTime": stamp(self.start), "endDateTime": stamp(self.end),
                "participants": {"organizer": {"identity": {"user": {"id": self.organiser}}}}}


@dataclass
class GraphState:
    entra: EntraState
    base: str = ""
    users: dict[str, str] = field(default_factory=lambda: {ORGANISER_ID: ORGANISER_UPN, UNLICENSED_ID: UNLICENSED_UPN})
    licensed: set[str] = field(default_factory=lambda: {ORGANISER_ID})
    teams_policy: set[str] = field(default_factory=lambda: {ORGANISER_ID, UNLICENSED_ID})
    """Users a Teams application access policy for the app was granted to."""
    mailboxes: set[str] | None = None
    """RBAC for Applications: the users whose calendars the app may use (None: every one)."""
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    page_size: int = 100
    throttle: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def user(self, ref: str) -> str | None:
        ref = unquote(ref).lower()
        return next((oid for oid, upn in self.users.items() if ref in (oid.lower(), upn.lower())), None)

    def meeting_of_join(self, join_url: str) -> Meeting:
        return next(m for m in self.meetings.values() if m.join_url == join_url)

    def add_report(self, meeting: Meeting, start: datetime, end: datetime, records: list[dict[str, Any]]) -> str:
        """A report Teams writes when the meeting ends."""
        report_id = str(uuid.uuid4())
        meeting.reports.append({"id": report_id, "totalParticipantCount": len(records),
                                "meetingStartDateTime": stamp(start), "meetingEndDateTime": stamp(end),
                                "records": records})
        return report_id


def stamp(moment: datetime) -> str:
    """Graph's UTC timestamps, with seven decimals as Graph writes them."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "1Z"


def attendance_record(email: str | None, name: str, seconds: int, joined: datetime, *,
                      role: str = "Attendee", intervals: int = 1) -> dict[str, Any]:
    """An attendanceRecord as Graph returns it (the time split over `intervals` joins)."""
    each = seconds // intervals
    spans = []
    for n in range(intervals):
        start = joined + timedelta(seconds=n * (each + 60))
        length = each if n < intervals - 1 else seconds - each * (intervals - 1)
        spans.append({"joinDateTime": stamp(start), "leaveDateTime": stamp(start + timedelta(seconds=length)),
                      "durationInSeconds": length})
    return {"emailAddress": email, "totalAttendanceInSeconds": seconds, "role": role,
            "identity": {"id": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)), "displayName": name, "tenantId": None},
            "attendanceIntervals": spans}


class GraphHandler(BaseHTTPRequestHandler):
    server: GraphServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with state.lock:
            state.requests.append((method, self.path))
            if state.throttle:
                self._answer(429, _error("TooManyRequests", "Please retry again later."),
                             {"Retry-After": state.throttle.pop(0)})
                return
            roles = self._roles()
            if roles is None:
                self._answer(401, _error("InvalidAuthenticationToken", "Access token validation failure. "
                                         "Invalid audience."))
                return
            path = [unquote(p) for p in parts.path.removeprefix("/v1.0").strip("/").split("/")]
            self._answer(*Routes(state, roles).route(method, path, query, body))

    def _roles(self) -> set[str] | None:
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        state = self.server.state
        issued = state.entra.issued.get(token)
        try:
            claims = jwt.decode(token, state.entra.signing_key.public_key(), algorithms=["RS256"], audience=GRAPH)
        except jwt.PyJWTError:
            return None
        return set(claims.get("roles", [])) if issued is not None else None

    def _answer(self, status: int, payload: dict[str, Any] | None, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if raw:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


Answer = tuple[int, dict[str, Any] | None]


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      "innerError": {"date": "2026-12-03T14:00:00", "request-id": str(uuid.uuid4())}}}


class Routes:
    """One request's answer, given the app's roles."""

    def __init__(self, state: GraphState, roles: set[str]) -> None:
        self.state, self.roles = state, roles

    def route(self, method: str, path: list[str], query: dict[str, str], body: dict[str, Any]) -> Answer:
        if len(path) < 3 or path[0] != "users":
            return 404, _error("BadRequest", "Resource not found for the segment.")
        user = self.state.user(path[1])
        if user is None:
            return 404, _error("ErrorInvalidUser", f"The requested user '{path[1]}' is invalid.")
        rest = path[2:]
        if rest[0] in ("calendar", "events"):
            refused = self._calendar_refusal(user)
            return refused if refused else self._calendar(method, user, rest, body)
        if rest[0] == "onlineMeetings":
            return self._meetings(method, user, rest, query, body)
        return 404, _error("BadRequest", "Resource not found for the segment.")

    def _calendar_refusal(self, user: str) -> Answer | None:
        if not {"Calendars.ReadWrite", "Calendars.Read"} & self.roles:
            return 403, _error("ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        if self.state.mailboxes is not None and user not in self.state.mailboxes:
            return 403, _error("ErrorAccessDenied", "Access to OData is disabled: the app is not allowed to use "
                               "this mailbox.")
        return None

    def _calendar(self, method: str, user: str, rest: list[str], body: dict[str, Any]) -> Answer:
        state = self.state
        if rest == ["calendar"] and method == "GET":
            teams = user in state.licensed
            return 200, {"id": f"cal-{user}", "name": "Calendar",
                         "allowedOnlineMeetingProviders": ["teamsForBusiness"] if teams else [],
                         "defaultOnlineMeetingProvider": "teamsForBusiness" if teams else "unknown"}
        if rest == ["events"] and method == "POST":
            return self._new_event(user, body)
        event = state.events.get(rest[1]) if len(rest) > 1 else None
        if event is None or event["organiserId"] != user:
            return 404, _error("ErrorItemNotFound", "The specified object was not found in the store.")
        meeting = state.meetings.get(event.get("meetingId", ""))
        if method == "PATCH" and len(rest) == 2:
            event.update({k: body[k] for k in ("subject", "start", "end") if k in body})
            if meeting is not None:
                meeting.subject, meeting.start, meeting.end = event["subject"], _at(event["start"]), _at(event["end"])
            return 200, _public(event)
        if method == "POST" and rest[2:] == ["cancel"] or method == "DELETE":
            event["isCancelled"] = True
            if meeting is not None:
                meeting.cancelled = True
            return (202 if method == "POST" else 204), None
        return 405, _error("BadRequest", "Unsupported request.")

    def _new_event(self, user: str, body: dict[str, Any]) -> Answer:
        state = self.state
        for event in state.events.values():
            if body.get("transactionId") and event.get("transactionId") == body["transactionId"]:
                return 201, _public(event)
        event_id = "AAMkAG" + uuid.uuid4().hex
        event = {**body, "id": event_id, "organiserId": user, "isCancelled": False, "iCalUId": uuid.uuid4().hex,
                 "onlineMeeting": None}
        teams = body.get("isOnlineMeeting") and body.get("onlineMeetingProvider") == "teamsForBusiness"
        if teams and user in state.licensed:
            meeting = self._make_meeting(user, body["subject"], _at(body["start"]), _at(body["end"]))
            event.update(onlineMeeting={"joinUrl": meeting.join_url}, meetingId=meeting.id)
        state.events[event_id] = event
        return 201, _public(event)

    def _meetings(self, method: str, user: str, rest: list[str], query: dict[str, str],
                  body: dict[str, Any]) -> Answer:
        reading_artifacts = len(rest) > 2 and rest[2] == "attendanceReports"
        wanted = {"OnlineMeetingArtifact.Read.All"} if reading_artifacts else (
            READ_MEETINGS if method == "GET" else {"OnlineMeetings.ReadWrite.All"})
        if not wanted & self.roles:
            needed, held = ", ".join(sorted(wanted)), ", ".join(sorted(self.roles))
            return 403, _error("Forbidden", f"Missing role permissions on the request. API requires one of "
                               f"'{needed}'. Roles on the request '{held}'.")
        if user not in self.state.teams_policy:
            return 403, _error("Forbidden", "No application access policy found for this app.")
        if rest == ["onlineMeetings", "createOrGet"] and method == "POST":
            return self._create_or_get(user, body)
        if rest == ["onlineMeetings"] and method == "GET":
            return self._by_join_url(user, query.get("$filter", ""))
        meeting = self.state.meetings.get(rest[1]) if len(rest) > 1 else None
        if meeting is None or meeting.organiser != user:
            return 404, _error("NotFound", "The requested meeting was not found.")
        if reading_artifacts:
            return self._reports(meeting, rest[3:], query)
        if method == "PATCH":
            meeting.subject = body.get("subject", meeting.subject)
            meeting.start, meeting.end = _utc(body["startDateTime"]), _utc(body["endDateTime"])
            return 200, meeting.json()
        if method == "DELETE":
            meeting.cancelled = True
            return 204, None
        return 405, _error("BadRequest", "Unsupported request.")

    def _create_or_get(self, user: str, body: dict[str, Any]) -> Answer:
        found = next((m for m in self.state.meetings.values()
                      if m.external_id and m.external_id == body.get("externalId") and m.organiser == user), None)
        if found is not None:
            return 200, found.json()
        if user not in self.state.licensed:
            return 403, _error("Forbidden", "The user does not have a Teams licence.")
        made = self._make_meeting(user, body.get("subject", ""), _utc(body["startDateTime"]),
                                  _utc(body["endDateTime"]), body.get("externalId", ""))
        return 201, made.json()

    def _by_join_url(self, user: str, odata: str) -> Answer:
        prefix = "JoinWebUrl eq '"
        if not (odata.startswith(prefix) and odata.endswith("'")):
            return 400, _error("BadRequest", "Invalid filter clause.")
        url = odata[len(prefix):-1].replace("''", "'")
        found = [m.json() for m in self.state.meetings.values() if m.join_url == url and m.organiser == user]
        return (200, {"value": found}) if found else (404, _error("NotFound", "The requested meeting was not found."))

    def _reports(self, meeting: Meeting, rest: list[str], query: dict[str, str]) -> Answer:
        base = f"{self.state.base}/v1.0/users/{meeting.organiser}/onlineMeetings/{meeting.id}/attendanceReports"
        if not rest:
            listed = [{k: v for k, v in r.items() if k != "records"} | {"attendanceRecords": []}
                      for r in meeting.reports[-50:]]
            return self._page(listed, base, query)
        report = next((r for r in meeting.reports if r["id"] == rest[0]), None)
        if report is None:
            return 404, _error("NotFound", "The attendance report was not found.")
        return self._page(report["records"], f"{base}/{report['id']}/attendanceRecords", query)

    def _page(self, items: list[dict[str, Any]], url: str, query: dict[str, str]) -> Answer:
        start = int(query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"@odata.context": url, "value": items[start:start + self.state.page_size]}
        if start + self.state.page_size < len(items):
            page["@odata.nextLink"] = f"{url}?$skiptoken={start + self.state.page_size}"
        return 200, page

    def _make_meeting(self, user: str, subject: str, start: datetime, end: datetime, external_id: str = "") -> Meeting:
        thread = uuid.uuid4().hex
        join = (f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid"
                f"%22%3a%22kcst-tenant%22%2c%22Oid%22%3a%22{user}%22%7d")
        made = Meeting("MSp" + uuid.uuid4().hex, user, join, subject, start, end, external_id)
        self.state.meetings[made.id] = made
        return made


def _public(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in ("organiserId", "meetingId")}


def _at(value: dict[str, str]) -> datetime:
    """A dateTimeTimeZone as a UTC instant."""
    local = datetime.fromisoformat(value["dateTime"]).replace(tzinfo=ZONES[value["timeZone"]])
    return local.astimezone(UTC)


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


class GraphServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: GraphState) -> None:
        super().__init__(("127.0.0.1", 0), GraphHandler)
        self.state = state


@contextmanager
def running_graph(pki: Pki, entra: EntraState) -> Iterator[GraphState]:
    """The stand-in on a free loopback port over HTTPS; clients must trust `pki.ca_file` (SSL_CERT_FILE)."""
    state = GraphState(entra)
    server = GraphServer(state)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.base = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
