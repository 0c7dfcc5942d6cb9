"""Build iCalendar objects for a session: per-person REQUEST/CANCEL and a PUBLISH file for the website."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ..domain.identity import envelope_address
from ..domain.sessions import InfoSession, SessionFormat
from ..domain.times import LONDON
from .links import PUBLIC_JOINING, public_location
from .vtimezone import london_vtimezone

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Kent Community Safety Team//bulletin-tui//EN"


class InviteMethod(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"


@dataclass(frozen=True)
class Organizer:
    """The team mailbox that organises every session."""

    email: str
    name: str


@dataclass(frozen=True)
class Invitee:
    """One person the invite is addressed to."""

    email: str
    name: str = ""


def _address(email: str, name: str, **params: str) -> vCalAddress:
    from icalendar import vCalAddress, vText  # icalendar is imported on first use (~0.06 s of start-up otherwise)

    address = vCalAddress(f"mailto:{envelope_address(email)}")  # as in the To header: domain as A-labels
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def event_description(session: InfoSession, *, private: bool = True) -> str:
    """The plain text shown in the calendar entry: what, who, and (in a registrant's own invite) how to join."""
    parts = [session.description.strip()]
    if session.topics:
        parts.append("Topics: " + "; ".join(session.topics))
    if session.speakers:
        parts.append("Speakers: " + "; ".join(session.speakers))
    if session.format is not SessionFormat.IN_PERSON:
        if not private:
            parts.append(PUBLIC_JOINING)
        elif session.join_link:
            parts.append(f"Join online: {session.join_link}")
        else:
            parts.append("The joining link will be sent to you before the session.")
    return "\n\n".join(p for p in parts if p)


def calendar_time(moment: datetime) -> datetime:
    """London time with TZID, except in the repeated hour of October, which only UTC states unambiguously."""
    local = moment.astimezone(LONDON)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _event(session: InfoSession, organizer: Organizer, *, stamp: datetime, cancelled: bool, private: bool) -> Event:
    """The VEVENT; only a `private` one (a registrant's own invite) carries the join link."""
    from icalendar import Event

    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", calendar_time(session.start))
    event.add("dtend", calendar_time(session.end))
    event.add("summary", session.title)
    description = event_description(session, private=private)
    if description:
        event.add("description", description)
    joins = private and session.join_link and session.format is not SessionFormat.IN_PERSON
    location = session.venue or (session.join_link if joins and session.format is SessionFormat.ONLINE else "")
    location = location or public_location(session)
    if location:
        event.add("location", location)
    if joins:
        event.add("url", session.join_link)
    if session.topics:
        event.add("categories", list(session.topics))
    event.add("organizer", _address(organizer.email, organizer.name))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _calendar(method: InviteMethod, event: Event) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    calendar.add_component(london_vtimezone())
    calendar.add_component(event)
    return calendar


def build_invite(
    session: InfoSession, method: InviteMethod, organizer: Organizer, invitee: Invitee | None, *, stamp: datetime,
) -> bytes:
    """The .ics bytes (CRLF, folded) of one REQUEST, CANCEL (STATUS:CANCELLED) or PUBLISH."""
    cancelled = method is InviteMethod.CANCEL or session.cancelled
    private = invitee is not None and method is not InviteMethod.PUBLISH
    event = _event(session, organizer, stamp=stamp, cancelled=cancelled, private=private)
    if invitee is not None and method is not InviteMethod.PUBLISH:
        event.add("attendee", _address(
            invitee.email, invitee.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="TRUE",
            cutype="INDIVIDUAL",
        ))
    return bytes(_calendar(method, event).to_ical())


def publish_calendar(session: InfoSession, organizer: Organizer, *, stamp: datetime) -> bytes:
    """A METHOD:PUBLISH .ics for the bulletin and the website (no attendees); one event per date (own UID) for a
    session on several dates."""
    if session.occurrences:
        return publish_feed([session], organizer, stamp=stamp)
    return build_invite(session, InviteMethod.PUBLISH, organizer, None, stamp=stamp)


def publish_feed(sessions: list[InfoSession], organizer: Organizer, *, stamp: datetime) -> bytes:
    """One METHOD:PUBLISH calendar of several public sessions (no attendees, no join links), one event per date:
    the website's feed."""
    from icalendar import Calendar

    calendar = Calendar()
    for name, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                        ("method", InviteMethod.PUBLISH.value)):
        calendar.add(name, value)
    calendar.add_component(london_vtimezone())
    for view in (session.at(date) for session in sessions for date in session.dates()):
        calendar.add_component(_event(view, organizer, stamp=stamp, cancelled=view.cancelled, private=False))
    return bytes(calendar.to_ical())
