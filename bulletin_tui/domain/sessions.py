"""Information sessions (CSIS, DHR learning webinars, training, conferences), registrations and their rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from .base import Model
from .text import EmailAddress, Link, OneLine, Slug, normalise_email
from .times import LONDON


class SessionKind(StrEnum):
    CSIS = "CSIS"
    DHR_WEBINAR = "DHR learning webinar"
    TRAINING = "training"
    CONFERENCE = "conference"
    WORKSHOP = "workshop"
    CPD = "CPD event"
    OTHER = "other"


class SessionFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in person"
    HYBRID = "hybrid"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class AttendanceMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in person"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


# Fields whose change makes every confirmed registrant's calendar entry stale (SEQUENCE is raised).
INVITE_FIELDS = frozenset({"start", "end", "venue", "join_link", "format"})
# Fields shown in the calendar entry whose change sends an update at the same SEQUENCE with a newer DTSTAMP:
# RFC 5546 §2.1.4 asks for a higher SEQUENCE only for changes that invalidate attendees' replies (time, place),
# and §2.1.5 orders messages of equal SEQUENCE by DTSTAMP.
CALENDAR_TEXT_FIELDS = frozenset({"title", "description", "speakers", "topics"})


def _utc(value: datetime) -> datetime:
    """Store instants in UTC: London-zoned values compare by wall clock and ignore `fold`."""
    return value.astimezone(UTC) if value.tzinfo is not None else value


def _check_times(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must carry a time zone (Europe/London)")
    if end <= start:
        raise ValueError("end must be after start")


class Occurrence(Model):
    """One date of a session that runs several times (docs/occurrences.md): its own time, place, places,
    calendar UID and SEQUENCE. A session without occurrences is its own single, implicit occurrence (id "")."""

    id: Slug = Field(description="stable within its session: 1, 2, 3 ... (never reused)")
    start: datetime
    end: datetime
    venue: OneLine = ""
    join_link: Link | None = None
    format: SessionFormat = SessionFormat.ONLINE
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    capacity_in_person: int | None = Field(default=None, ge=1, le=100_000, description="hybrid: in-person places")
    capacity_online: int | None = Field(default=None, ge=1, le=100_000, description="hybrid: online places")
    status: SessionStatus = SessionStatus.SCHEDULED
    uid: OneLine = Field(min_length=1, description="its own iCalendar UID")
    sequence: int = Field(default=0, ge=0)
    cancelled_at: datetime | None = None

    @field_validator("start", "end")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return _utc(value)

    @model_validator(mode="after")
    def _times(self) -> Occurrence:
        _check_times(self.start, self.end)
        return self

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


class InfoSession(Model):
    slug: Slug
    title: OneLine = Field(min_length=1, max_length=200)
    kind: SessionKind = SessionKind.CSIS
    format: SessionFormat = SessionFormat.ONLINE
    start: datetime
    end: datetime
    description: str = Field(default="", max_length=5000)
    venue: OneLine = ""
    join_link: Link | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    capacity_in_person: int | None = Field(default=None, ge=1, le=100_000, description="hybrid: in-person places")
    capacity_online: int | None = Field(default=None, ge=1, le=100_000, description="hybrid: online places")
    speakers: list[OneLine] = Field(default_factory=list)
    organisations: list[OneLine] = Field(default_factory=list)
    topics: list[OneLine] = Field(default_factory=list)
    status: SessionStatus = SessionStatus.SCHEDULED
    uid: OneLine = Field(min_length=1, description="stable iCalendar UID")
    sequence: int = Field(default=0, ge=0, description="iCalendar SEQUENCE, raised on every change of time/place/link")
    created_at: datetime
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    occurrences: list[Occurrence] = Field(default_factory=list, description="its dates, when it runs several times")

    @field_validator("start", "end")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return _utc(value)

    @model_validator(mode="after")
    def _times(self) -> InfoSession:
        _check_times(self.start, self.end)
        return self

    def dates(self) -> list[Occurrence]:
        """Its occurrences in start order; a session without any is its own single one (id "")."""
        if self.occurrences:
            return sorted(self.occurrences, key=lambda o: (o.start, o.id))
        return [Occurrence.model_construct(
            id="", start=self.start, end=self.end, venue=self.venue, join_link=self.join_link, format=self.format,
            capacity=self.capacity, capacity_in_person=self.capacity_in_person, capacity_online=self.capacity_online,
            status=self.status, uid=self.uid, sequence=self.sequence, cancelled_at=self.cancelled_at)]

    def occurrence(self, occurrence_id: str) -> Occurrence | None:
        """One of its dates by id ("" is the session itself, or the date that kept the session's UID)."""
        found = next((o for o in self.dates() if o.id == occurrence_id), None)
        if found is None and occurrence_id == "" and self.occurrences:
            found = next((o for o in self.occurrences if o.uid == self.uid), None)
        return found

    def at(self, occurrence: Occurrence) -> InfoSession:
        """The session as one of its dates: that date's time, place, places, UID, SEQUENCE and status. Invites,
        links and mail are built from this view, so one code path serves single and multi-date sessions."""
        if occurrence.id == "":
            return self
        cancelled = self.cancelled or occurrence.cancelled
        return self.model_copy(update={
            "start": occurrence.start, "end": occurrence.end, "venue": occurrence.venue,
            "join_link": occurrence.join_link, "format": occurrence.format, "capacity": occurrence.capacity,
            "capacity_in_person": occurrence.capacity_in_person, "capacity_online": occurrence.capacity_online,
            "uid": occurrence.uid, "sequence": occurrence.sequence,
            "status": SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
            "cancelled_at": occurrence.cancelled_at or self.cancelled_at, "occurrences": []})

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(LONDON)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(LONDON)

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    def status_at(self, now: datetime) -> str:
        """What to call the session at `now`: cancelled, delivered (it is over, the report's word), under way,
        or scheduled."""
        if self.cancelled:
            return SessionStatus.CANCELLED.value
        if now >= self.end:
            return "delivered"
        return "under way" if now >= self.start else SessionStatus.SCHEDULED.value

    @property
    def where(self) -> str:
        """How to take part, in words: venue and/or 'online'."""
        if self.format is SessionFormat.ONLINE:
            return "Online (Microsoft Teams link below)" if self.join_link else "Online"
        if self.format is SessionFormat.HYBRID:
            return f"{self.venue or 'Venue to be confirmed'}, or online"
        return self.venue or "Venue to be confirmed"


class Registration(Model):
    id: Slug
    session_slug: Slug
    occurrence_id: str = Field(default="", max_length=40, description=(
        "which date of the session ('' for a session with a single date)"))
    email: EmailAddress
    name: OneLine = ""
    organisation: OneLine = ""
    mode: AttendanceMode = AttendanceMode.ONLINE
    status: RegistrationStatus = RegistrationStatus.CONFIRMED
    registered_at: datetime
    position: int = Field(ge=0, description="arrival order within the session")
    attended: bool | None = Field(default=None, description="attended (whichever date), no-show, or unknown")
    attended_minutes: int | None = Field(default=None, ge=0)
    source: OneLine = "staff"
    promoted_at: datetime | None = None
    cancelled_at: datetime | None = None
    reply: OneLine = Field(default="", description="their calendar answer (accepted, tentative), from the inbox")
    access_needs: OneLine = Field(default="", description="accessibility needs they told us about")

    @property
    def key(self) -> str:
        return normalise_email(self.email)

    @property
    def active(self) -> bool:
        return self.status is not RegistrationStatus.CANCELLED


def confirmed_count(registrations: Iterable[Registration]) -> int:
    """How many places are taken."""
    return sum(1 for r in registrations if r.status is RegistrationStatus.CONFIRMED)


def places_left(capacity: int | None, confirmed: int) -> int | None:
    """Free places (never negative), or None when the session has no limit."""
    return None if capacity is None else max(capacity - confirmed, 0)


def status_for_newcomer(capacity: int | None, confirmed: int) -> RegistrationStatus:
    """A new arrival is confirmed while places remain, else joins the waiting list."""
    free = places_left(capacity, confirmed)
    return RegistrationStatus.CONFIRMED if free is None or free > 0 else RegistrationStatus.WAITLISTED


def to_promote(registrations: Iterable[Registration], capacity: int | None) -> list[Registration]:
    """Waiting-list registrations that now fit, in arrival order: exactly one per free place."""
    regs = list(registrations)
    waiting = sorted((r for r in regs if r.status is RegistrationStatus.WAITLISTED), key=lambda r: r.position)
    free = places_left(capacity, confirmed_count(regs))
    return waiting if free is None else waiting[:free]


def over_capacity(capacity: int | None, confirmed: int) -> int:
    """How many confirmed people exceed a (lowered) capacity; they keep their places."""
    return 0 if capacity is None else max(confirmed - capacity, 0)


GROUP_ORDER = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITLISTED: 1, RegistrationStatus.CANCELLED: 2}


def numbered(registrations: Iterable[Registration]) -> list[tuple[int, Registration]]:
    """Confirmed, then waiting, then cancelled, each in arrival order, with the 1-based place in its group
    (so 'waiting 1' is next in line). The one numbering every face shows."""
    ordered = sorted(registrations, key=lambda r: (GROUP_ORDER[r.status], r.position))
    places: dict[RegistrationStatus, int] = {}
    result = []
    for registration in ordered:
        places[registration.status] = places.get(registration.status, 0) + 1
        result.append((places[registration.status], registration))
    return result


def place_in_group(registrations: Iterable[Registration], registration_id: str) -> int | None:
    """The 1-based place of one registration in its group (e.g. its waiting-list position), or None."""
    return next((place for place, r in numbered(registrations) if r.id == registration_id), None)
