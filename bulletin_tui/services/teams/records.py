"""The Teams meeting behind each date of a session, as stored: which Graph objects, what Teams was last told, and
where taking attendance stands. One record per date (`slug` or `slug/ID`); no personal data (counts only)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from ...domain.base import Model
from ...domain.sessions import InfoSession, Occurrence
from ...domain.text import Link, OneLine, Slug
from ...storage.collection import Collection
from ..context import AppContext

TABLE = "teams_meetings"


class MeetingKind(StrEnum):
    EVENT = "event"
    """A calendar event with a Teams meeting, made here (Graph events API)."""
    ONLINE_MEETING = "online meeting"
    """A Teams meeting in no calendar, made here (Graph onlineMeetings API)."""
    LINKED = "linked"
    """A meeting someone made in Teams or Outlook and linked here: read for attendance, never moved or cancelled."""


class AttendanceState(StrEnum):
    WAITING = "waiting"
    """Not taken yet (the date has not ended, Teams has not written the report yet, or asking failed)."""
    TAKEN = "taken"
    NONE = "none"
    """Teams wrote no report a day after the end: nobody joined, or the meeting was held elsewhere."""
    GONE = "gone"
    """Not taken within a year: Teams keeps attendance reports for a year."""


class TeamsMeeting(Model):
    session_slug: Slug
    occurrence_id: str = Field(default="", max_length=40, description="the date ('' for a single-date session)")
    kind: MeetingKind
    organiser: OneLine = Field(min_length=1, description="[teams] organiser when it was made or linked")
    event_id: OneLine = ""
    online_meeting_id: OneLine = Field(default="", description="found from the join link when first needed")
    join_url: Link
    subject: OneLine = Field(default="", description="the title Teams was last given")
    start: datetime
    end: datetime
    created_at: datetime
    synced_at: datetime | None = None
    cancelled_at: datetime | None = None
    last_problem: OneLine = Field(default="", description="the last Graph failure, one line; '' after a success")
    attendance_state: AttendanceState = AttendanceState.WAITING
    attendance_taken_at: datetime | None = Field(default=None, description="when the state became final")
    attendance_tried_at: datetime | None = None
    attendance_reports: list[OneLine] = Field(default_factory=list, description="ids of the reports applied")
    attendance_note: OneLine = Field(default="", description="what the last attempt found (counts, no names)")

    @property
    def key(self) -> str:
        return meeting_key(self.session_slug, self.occurrence_id)

    @property
    def made_here(self) -> bool:
        return self.kind is not MeetingKind.LINKED


def meeting_key(slug: str, occurrence_id: str = "") -> str:
    return f"{slug}/{occurrence_id}" if occurrence_id else slug


def meetings(ctx: AppContext) -> Collection[TeamsMeeting]:
    return ctx.store.collection(TABLE, TeamsMeeting, lambda m: m.key)


def meetings_of(ctx: AppContext, slug: str) -> list[TeamsMeeting]:
    """The session's meetings in date order."""
    return sorted((m for m in meetings(ctx) if m.session_slug == slug), key=lambda m: (m.start, m.occurrence_id))


def all_meetings(ctx: AppContext, slug: str | None = None) -> list[TeamsMeeting]:
    """Every meeting (or one session's) by start, then key."""
    return sorted((m for m in meetings(ctx) if slug in (None, m.session_slug)), key=lambda m: (m.start, m.key))


def date_of(session: InfoSession, meeting: TeamsMeeting) -> Occurrence | None:
    """The date a meeting belongs to (None when that date no longer exists)."""
    return session.occurrence(meeting.occurrence_id)


def label(slug: str, occurrence_id: str) -> str:
    """How a date is named in messages."""
    return f"date {occurrence_id} of '{slug}'" if occurrence_id else f"session '{slug}'"


def update_meeting(ctx: AppContext, key: str, **changes: object) -> TeamsMeeting | None:
    """Change some fields of a stored meeting, starting from the newest save (another process may have written
    other fields of it meanwhile)."""
    with ctx.store.transaction():
        current = meetings(ctx).get(key)
        return None if current is None else meetings(ctx).put(current.model_copy(update=changes))
