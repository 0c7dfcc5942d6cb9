"""Reading a meeting's attendance from Graph (network only, no database): its attendance reports, the ones held
around the date, and their attendance records merged into one `TeamsReport`, the shape a downloaded CSV is read
into, so both are applied by the same session service.

Graph: `GET /users/{organiser}/onlineMeetings/{id}/attendanceReports` (a report each time the meeting ended; at
most the 50 newest) and `.../attendanceReports/{id}/attendanceRecords` (paged with `@odata.nextLink`): per person
`emailAddress` (empty for anonymous guests), `identity.displayName`, `role`, `totalAttendanceInSeconds` and
`attendanceIntervals` [{joinDateTime, leaveDateTime, durationInSeconds}]. Teams keeps reports for a year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ...domain.sessions import Occurrence
from ..sessions.teams import TeamsAttendee, TeamsReport
from . import api
from .explain import ATTENDANCE
from .graph import GraphClient, user_path
from .records import TeamsMeeting, label

AROUND = timedelta(hours=2)
"""A report counts for a date when the meeting ran within this of the date's start and end (early joiners,
overruns); reports from other days (a rehearsal, other dates of a linked recurring meeting) are left out."""


@dataclass
class Downloaded:
    """What Graph has for one date: the online meeting's id, the reports used, everyone merged."""

    meeting: TeamsMeeting
    online_meeting_id: str
    report: TeamsReport
    report_ids: list[str] = field(default_factory=list)
    other_days: int = 0
    """Reports of the same meeting held on other days (not used)."""


def download(graph: GraphClient, meeting: TeamsMeeting, date: Occurrence) -> Downloaded:
    """The date's attendance as Graph has it now (no reports yet: an empty report)."""
    meeting_id = meeting.online_meeting_id or api.find_meeting_id(graph, meeting.organiser, meeting.join_url)
    reports_path = f"{user_path(meeting.organiser)}/onlineMeetings/{meeting_id}/attendanceReports"
    reports = list(graph.pages(reports_path, ATTENDANCE))
    used = [r for r in reports if _during(r, date)]
    people: dict[str, tuple[TeamsAttendee, int]] = {}
    for found in used:
        for record in graph.pages(f"{reports_path}/{found['id']}/attendanceRecords", ATTENDANCE):
            _merge(people, record)
    starts = [start for r in used if (start := _instant(r.get("meetingStartDateTime"))) is not None]
    attendees = [person for person, _ in people.values()]
    named = label(meeting.session_slug, meeting.occurrence_id)
    report = TeamsReport(file=f"Teams attendance of {named}", encoding="", layout="Microsoft Graph",
                         attendees=attendees, started=min(starts, default=None))
    return Downloaded(meeting, meeting_id, report, [str(r["id"]) for r in used], len(reports) - len(used))


def _merge(people: dict[str, tuple[TeamsAttendee, int]], record: dict[str, Any]) -> None:
    """Add one attendance record (a person may be in several reports, or rejoin): seconds add up."""
    identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
    name = str((identity or {}).get("displayName") or "").strip()
    email = str(record.get("emailAddress") or "").strip()
    seconds = _seconds(record)
    person = TeamsAttendee(name=name or email, email=email, role=str(record.get("role") or ""))
    key = person.key or f"name:{person.name.lower()}"
    earlier = people.get(key)
    total = seconds + (earlier[1] if earlier else 0)
    kept = earlier[0] if earlier else person
    kept.minutes = (total + 30) // 60
    people[key] = (kept, total)


def _seconds(record: dict[str, Any]) -> int:
    total = record.get("totalAttendanceInSeconds")
    if isinstance(total, int | float):
        return int(total)
    intervals = record.get("attendanceIntervals") or []
    return sum(int(i.get("durationInSeconds") or 0) for i in intervals if isinstance(i, dict))


def _during(report: dict[str, Any], date: Occurrence) -> bool:
    started = _instant(report.get("meetingStartDateTime"))
    ended = _instant(report.get("meetingEndDateTime")) or started
    if started is None or ended is None or not report.get("id"):
        return False
    return started < date.end + AROUND and ended > date.start - AROUND


def _instant(value: object) -> datetime | None:
    """Graph's UTC timestamps (`2026-12-03T12:31:05.1234567Z`: seven decimals, more than Python reads)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[:min(digits, 6)]}{rest[digits:]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
