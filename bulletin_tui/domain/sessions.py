"""Information sessions (CSIS, DHR learning webinars, training, conferences) and registrations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, model_validator

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
    speakers: list[OneLine] = Field(default_factory=list)
    topics: list[OneLine] = Field(default_factory=list)
    status: SessionStatus = SessionStatus.SCHEDULED
    uid: OneLine = Field(min_length=1, description="stable iCalendar UID")
    sequence: int = Field(default=0, ge=0, description="iCalendar SEQUENCE, raised on every change of time/place/link")
    created_at: datetime

    @model_validator(mode="after")
    def _times(self) -> InfoSession:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end must carry a time zone (Europe/London)")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(LONDON)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(LONDON)


class Registration(Model):
    id: Slug
    session_slug: Slug
    email: EmailAddress
    name: OneLine = ""
    organisation: OneLine = ""
    mode: AttendanceMode = AttendanceMode.ONLINE
    status: RegistrationStatus = RegistrationStatus.CONFIRMED
    registered_at: datetime
    position: int = Field(ge=0, description="arrival order within the session")
    attended: bool | None = None
    source: OneLine = "staff"

    @property
    def key(self) -> str:
        return normalise_email(self.email)
