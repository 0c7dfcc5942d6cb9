"""The Graph requests behind a session's Teams meeting: make, move, cancel, and find one by its join link.

Two ways to make one (`[teams] create_with`): an `event` in the organiser's calendar with `isOnlineMeeting` and
`onlineMeetingProvider = teamsForBusiness` (Calendars.ReadWrite; it shows in Outlook), or a standalone
`online_meeting` (`onlineMeetings/createOrGet`, OnlineMeetings.ReadWrite.All; in no calendar). Both are made with an
idempotency key from the date's calendar UID (`transactionId`, `externalId`), so a retried request never makes two.
The meeting has no attendees in Teams: registrants get the join link only in their own invites.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ...domain.errors import DomainError
from ...domain.sessions import InfoSession
from ...domain.times import LONDON
from .explain import CALENDAR_WRITE, MEETING_READ, MEETING_WRITE
from .graph import GraphClient, GraphError, odata_filter, user_path
from .records import MeetingKind, TeamsMeeting

LONDON_WINDOWS = "GMT Standard Time"
"""Europe/London by its Windows name, the one Outlook itself writes."""
NOTE = "Teams meeting for a bulletin-tui session; registrants get the joining link in their own invitation."


@dataclass
class Made:
    """A meeting Graph made: its ids and join link."""

    kind: MeetingKind
    join_url: str
    event_id: str = ""
    online_meeting_id: str = ""


def idempotency_key(uid: str) -> str:
    """The same key for every attempt at making the meeting of one calendar UID."""
    return f"bulletin-tui-{uuid.uuid5(uuid.NAMESPACE_URL, uid)}"


def create(graph: GraphClient, organiser: str, kind: MeetingKind, view: InfoSession) -> Made:
    """Make the meeting for one date (`view` = the session as that date)."""
    if kind is MeetingKind.ONLINE_MEETING:
        found = graph.post(f"{user_path(organiser)}/onlineMeetings/createOrGet", MEETING_WRITE,
                           {"externalId": idempotency_key(view.uid), **_meeting_times(view)})
        return Made(kind, _join_url(found.get("joinWebUrl"), organiser), online_meeting_id=str(found.get("id", "")))
    body = {**_event_times(view), "subject": view.title, "body": {"contentType": "text", "content": _body(view)},
            "location": {"displayName": view.venue or "Microsoft Teams meeting"},
            "isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness",
            "allowNewTimeProposals": False, "responseRequested": False,
            "transactionId": idempotency_key(view.uid)}
    event = graph.post(f"{user_path(organiser)}/events", CALENDAR_WRITE, body)
    meeting = event.get("onlineMeeting") if isinstance(event.get("onlineMeeting"), dict) else {}
    join = meeting.get("joinUrl") if meeting else None
    if not join:
        _discard_event(graph, organiser, str(event.get("id", "")))
    return Made(kind, _join_url(join, organiser), event_id=str(event.get("id", "")))


def update(graph: GraphClient, meeting: TeamsMeeting, view: InfoSession) -> None:
    """Give Teams the date's title and times."""
    owner = user_path(meeting.organiser)
    if meeting.kind is MeetingKind.ONLINE_MEETING:
        graph.patch(f"{owner}/onlineMeetings/{meeting.online_meeting_id}", MEETING_WRITE, _meeting_times(view))
    elif meeting.kind is MeetingKind.EVENT:
        graph.patch(f"{owner}/events/{meeting.event_id}", CALENDAR_WRITE,
                    {**_event_times(view), "subject": view.title})


def cancel(graph: GraphClient, meeting: TeamsMeeting) -> None:
    """Cancel the meeting in Teams (one already gone is fine)."""
    owner = user_path(meeting.organiser)
    try:
        if meeting.kind is MeetingKind.ONLINE_MEETING:
            graph.delete(f"{owner}/onlineMeetings/{meeting.online_meeting_id}", MEETING_WRITE)
        elif meeting.kind is MeetingKind.EVENT:
            graph.post(f"{owner}/events/{meeting.event_id}/cancel", CALENDAR_WRITE,
                       {"comment": "This session has been cancelled."})
    except GraphError as exc:
        if exc.status != 404:
            raise


def find_meeting_id(graph: GraphClient, organiser: str, join_url: str) -> str:
    """The online meeting's id from its join link; DomainError when the organiser has no such meeting."""
    try:
        found = graph.get(f"{user_path(organiser)}/onlineMeetings", MEETING_READ,
                          query=odata_filter("JoinWebUrl", join_url))
    except GraphError as exc:
        if exc.status != 404:
            raise
        found = {}
    first = next(iter(found.get("value") or []), None)
    if not isinstance(first, dict) or not first.get("id"):
        raise DomainError(f"no Teams meeting with this join link is organised by {organiser} ([teams] organiser "
                          "must be the meeting's organiser)")
    return str(first["id"])


def _discard_event(graph: GraphClient, organiser: str, event_id: str) -> None:
    if event_id:
        with contextlib.suppress(GraphError):  # the refusal below says what matters; an empty event is harmless
            graph.delete(f"{user_path(organiser)}/events/{event_id}", CALENDAR_WRITE)


def _join_url(value: object, organiser: str) -> str:
    if not isinstance(value, str) or not value.startswith("https://"):
        raise DomainError(f"Microsoft Graph made no Teams meeting for {organiser}: the organiser needs a Teams "
                          "licence (a shared mailbox has none) -> set [teams] organiser to a Teams-licensed account")
    return value


def _event_times(view: InfoSession) -> dict[str, object]:
    def local(moment: datetime) -> dict[str, str]:
        return {"dateTime": moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": LONDON_WINDOWS}

    return {"start": local(view.start), "end": local(view.end)}


def _meeting_times(view: InfoSession) -> dict[str, object]:
    def utc(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {"startDateTime": utc(view.start), "endDateTime": utc(view.end), "subject": view.title}


def _body(view: InfoSession) -> str:
    return f"{view.description}\n\n{NOTE}".strip()
