"""After a session: the materials attendees get (labelled links, the feedback questionnaire, small PDFs, a note)
and the rules for who gets them and when. Stored apart from the session (table `session_followups`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from .base import Model
from .errors import DomainError
from .sessions import InfoSession, Registration, RegistrationStatus
from .text import MultiLine, OneLine, Slug, link

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
"""One attachment: up to 5 MB (larger files belong on a shared drive, sent as a link)."""
MAX_TOTAL_BYTES = 10 * 1024 * 1024
"""All attachments together (base64 makes a message a third larger; Microsoft 365 refuses past 25-35 MB)."""
MAX_ATTACHMENTS = 5
PDF_MAGIC = b"%PDF-"


class MaterialKind(StrEnum):
    SLIDES = "slides"
    RECORDING = "recording"
    PACK = "pack"
    OTHER = "other"


DEFAULT_LABELS = {
    MaterialKind.SLIDES: "Slides from the session",
    MaterialKind.RECORDING: "Recording of the session",
    MaterialKind.PACK: "Attendee pack",
    MaterialKind.OTHER: "Further material",
}


class Audience(StrEnum):
    """Who a follow-up campaign goes to: never both groups in one campaign."""

    ATTENDEES = "attendees"
    NO_SHOWS = "no-shows"


def web_link(value: str) -> str:
    """Materials are web pages or files online: http(s) only (a mailto: is not a questionnaire)."""
    if not value.strip().lower().startswith(("https://", "http://")):
        raise ValueError("must start with https:// or http://")
    return link(value)


class MaterialLink(Model):
    kind: MaterialKind
    url: str
    label: OneLine = Field(default="", max_length=120, description="link text; the kind's wording when empty")

    @field_validator("url")
    @classmethod
    def _web(cls, value: str) -> str:
        return web_link(value)

    @property
    def text(self) -> str:
        return self.label or DEFAULT_LABELS[self.kind]


class StoredAttachment(Model):
    """A PDF copied into the data folder when the materials were set; sent from there, never from the user's path."""

    filename: OneLine = Field(min_length=1, max_length=120)
    size: int = Field(ge=1, le=MAX_ATTACHMENT_BYTES)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def stored_name(self) -> str:
        """The file's name in the data folder: its fingerprint (so two sessions share one copy)."""
        return f"{self.sha256}.pdf"


class SessionFollowUp(Model):
    session_slug: Slug
    links: list[MaterialLink] = Field(default_factory=list)
    feedback_url: str | None = None
    note: MultiLine = Field(default="", max_length=2000, description="a short message from staff")
    attachments: list[StoredAttachment] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    updated_at: datetime | None = None
    updated_by: OneLine = ""

    @field_validator("feedback_url")
    @classmethod
    def _web(cls, value: str | None) -> str | None:
        return None if value is None else web_link(value)

    @property
    def empty(self) -> bool:
        return not (self.links or self.feedback_url or self.note or self.attachments)

    def link(self, kind: MaterialKind) -> MaterialLink | None:
        return next((item for item in self.links if item.kind is kind), None)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def size_text(size: int) -> str:
    """A file size as a person reads it: bytes, KB or MB."""
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else megabytes(size)


def check_pdf(name: str, data: bytes) -> None:
    """A PDF by its content (the `%PDF-` header and an `%%EOF` marker), not its name, within the size limit."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            f"{name} is {megabytes(len(data))}; an attachment may be at most "
            f"{megabytes(MAX_ATTACHMENT_BYTES)} (share a link to it instead)"
        )
    if not data:
        raise DomainError(f"{name} is empty")
    if not data.startswith(PDF_MAGIC) or b"%%EOF" not in data[-2048:]:
        raise DomainError(f"{name} is not a PDF (only PDF files can be attached, checked by their content)")


def check_total(attachments: Iterable[StoredAttachment]) -> None:
    chosen = list(attachments)
    if len(chosen) > MAX_ATTACHMENTS:
        raise DomainError(f"{len(chosen)} attachments; at most {MAX_ATTACHMENTS} may be attached")
    total = sum(a.size for a in chosen)
    if total > MAX_TOTAL_BYTES:
        raise DomainError(
            f"the attachments come to {megabytes(total)}; together they may be at most "
            f"{megabytes(MAX_TOTAL_BYTES)} (share the larger ones as links)"
        )


def is_attendee(registration: Registration) -> bool:
    """Came to the session (any registration still held: a waiting-list walk-in who was marked counts)."""
    return registration.attended is True and registration.status is not RegistrationStatus.CANCELLED


def is_no_show(registration: Registration) -> bool:
    """Held a confirmed place and was recorded as not attending."""
    return registration.attended is False and registration.status is RegistrationStatus.CONFIRMED


def in_audience(registration: Registration, audience: Audience) -> bool:
    return is_attendee(registration) if audience is Audience.ATTENDEES else is_no_show(registration)


def unrecorded(registrations: Iterable[Registration]) -> int:
    """Confirmed registrations whose attendance nobody has recorded yet."""
    return sum(1 for r in registrations if r.status is RegistrationStatus.CONFIRMED and r.attended is None)


def check_ready(session: InfoSession, registrations: Iterable[Registration], now: datetime) -> None:
    """Refuse a follow-up for a cancelled session, before it ended, or before any attendance is recorded."""
    if session.cancelled:
        raise DomainError(f"session '{session.slug}' was cancelled; there is nothing to follow up")
    if now < session.end:
        raise DomainError(f"session '{session.slug}' has not ended yet; send the follow-up after it")
    if not any(r.attended is not None for r in registrations if r.status is not RegistrationStatus.CANCELLED):
        raise DomainError(
            f"attendance for '{session.slug}' is not recorded yet (bulletin-tui sessions "
            "import-attendance or sessions attendance --mark)"
        )
