"""The invite e-mail: a human body (date, time, how to join, how to cancel) plus the calendar, two ways."""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from enum import StrEnum

from ..domain.sessions import AttendanceMode, InfoSession, SessionFormat
from ..domain.times import british_date, uk_time_range
from .ics import InviteMethod, Organizer


class InviteKind(StrEnum):
    """Why the message is sent; decides the wording and the iCalendar METHOD."""

    INVITE = "invite"
    UPDATE = "update"
    CANCEL_SESSION = "cancel-session"
    WITHDRAWN = "withdrawn"
    REMINDER = "reminder"
    WAITLISTED = "waitlisted"
    WAITLIST_CANCELLED = "waitlist-cancelled"

    @property
    def method(self) -> InviteMethod | None:
        """The iCalendar METHOD, or None for a notice that carries no calendar (waiting-list messages)."""
        if self in (InviteKind.WAITLISTED, InviteKind.WAITLIST_CANCELLED):
            return None
        cancels = self in (InviteKind.CANCEL_SESSION, InviteKind.WITHDRAWN)
        return InviteMethod.CANCEL if cancels else InviteMethod.REQUEST


SUBJECT_PREFIX = {
    InviteKind.INVITE: "Invitation",
    InviteKind.UPDATE: "Updated invitation",
    InviteKind.CANCEL_SESSION: "Cancelled",
    InviteKind.WITHDRAWN: "Registration cancelled",
    InviteKind.REMINDER: "Reminder",
    InviteKind.WAITLISTED: "Waiting list",
    InviteKind.WAITLIST_CANCELLED: "Cancelled",
}

OPENING = {
    InviteKind.INVITE: "Your place is confirmed for the session below. It is attached as a calendar invite.",
    InviteKind.UPDATE: "The details of this session have changed. The attached invite updates your calendar.",
    InviteKind.CANCEL_SESSION: "We are sorry: this session has been cancelled. The attached notice removes it "
                               "from your calendar.",
    InviteKind.WITHDRAWN: "Your registration for this session has been cancelled, as requested. The attached "
                          "notice removes it from your calendar.",
    InviteKind.REMINDER: "A reminder that you are booked on the session below.",
    InviteKind.WAITLISTED: "The session below is full, so you are on its waiting list. If a place comes free, "
                           "it goes to the next person in line and we send them a calendar invitation at once.",
    InviteKind.WAITLIST_CANCELLED: "We are sorry: the session below, for which you were on the waiting list, has "
                                   "been cancelled. You do not need to do anything.",
}
PROMOTED_OPENING = ("Good news: a place has come free on the session below, and it is yours. It is attached as a "
                    "calendar invite.")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    mode: AttendanceMode = AttendanceMode.ONLINE
    promoted: bool = False  # the place came free and went to them from the waiting list
    waiting_place: int | None = None  # 1 = next in line


def opening_for(kind: InviteKind, recipient: Recipient) -> str:
    """The first paragraph: why this message came."""
    if kind is InviteKind.INVITE and recipient.promoted:
        return PROMOTED_OPENING
    return OPENING[kind]


def write_to(session: InfoSession, organizer: Organizer, action: str) -> str:
    """`Reply to this e-mail, or write to TEAM, with the subject "ACTION: TITLE, DATE".`"""
    return (f"Reply to this e-mail, or write to {organizer.email}, with the subject "
            f"\"{action}: {session.title}, {british_date(session.start)}\".")


def cancel_instructions(session: InfoSession, organizer: Organizer) -> str:
    """Exactly how to give up a place: declining in a calendar does not reach the team (RSVP=FALSE)."""
    return (write_to(session, organizer, "Cancel") + " Declining in your calendar does not tell us, so please "
            "write; we then offer your place to the next person on the waiting list.")


def subject_for(kind: InviteKind, session: InfoSession) -> str:
    return f"{SUBJECT_PREFIX[kind]}: {session.title}, {british_date(session.start)}"


def body_lines(
    kind: InviteKind, session: InfoSession, recipient: Recipient, organizer: Organizer,
) -> list[tuple[str, str]]:
    """(label, value) pairs shown in both the text and the HTML part."""
    rows = [("Session", session.title), ("Date", british_date(session.start)),
            ("Time", uk_time_range(session.start, session.end))]
    if kind is InviteKind.WAITLISTED:
        place = f"number {recipient.waiting_place}" if recipient.waiting_place else "on the list"
        return rows + [("Waiting list", f"{place} (places are offered in this order)"),
                       ("To leave the list", write_to(session, organizer, "Leave waiting list"))]
    if kind.method is not InviteMethod.REQUEST:
        return rows
    online = session.format is SessionFormat.ONLINE or (
        session.format is SessionFormat.HYBRID and recipient.mode is AttendanceMode.ONLINE)
    if online:
        rows.append(("How to join", f"Online: {session.join_link}" if session.join_link
                     else "Online: the joining link will be sent before the session"))
    else:
        rows.append(("Where", session.venue or "Venue to be confirmed"))
    rows.append(("How to cancel", cancel_instructions(session, organizer)))
    return rows


def _text(greeting: str, opening: str, rows: list[tuple[str, str]], organizer: Organizer) -> str:
    lines = [greeting, "", opening, ""] + [f"{label}: {value}" for label, value in rows]
    return "\n".join(lines + ["", organizer.name, organizer.email, ""])


def _html(greeting: str, opening: str, rows: list[tuple[str, str]], organizer: Organizer) -> str:
    esc = html.escape
    cells = "".join(f'<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">{esc(label)}</th>'
                    f'<td style="padding:4px 0">{esc(value)}</td></tr>' for label, value in rows)
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{esc(rows[0][1])}</title>'
            f'</head><body style="font-family:Arial,sans-serif;color:#1b1b1b;max-width:600px">'
            f"<p>{esc(greeting)}</p><p>{esc(opening)}</p><table role=\"presentation\">{cells}</table>"
            f"<p>{esc(organizer.name)}<br>{esc(organizer.email)}</p></body></html>")


def build_invite_email(
    kind: InviteKind, session: InfoSession, recipient: Recipient, organizer: Organizer, ics: bytes | None, *,
    date_header: str, domain: str, reply_to: str = "",
) -> bytes:
    """One message: multipart/mixed[alternative[text, html, text/calendar; method=M], invite.ics], or
    multipart/alternative[text, html] for a notice without a calendar (`ics` None)."""
    rows = body_lines(kind, session, recipient, organizer)
    greeting = f"Dear {recipient.name}," if recipient.name else "Hello,"
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr((organizer.name, organizer.email))
    message["To"] = formataddr((recipient.name, recipient.email)) if recipient.name else recipient.email
    message["Subject"] = subject_for(kind, session)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = date_header
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    opening = opening_for(kind, recipient)
    message.set_content(_text(greeting, opening, rows, organizer))
    message.add_alternative(_html(greeting, opening, rows, organizer), subtype="html")
    if ics is None or kind.method is None:
        return message.as_bytes()
    method = kind.method.value
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method, "charset": "utf-8"},
                            cte="base64")
    message.make_mixed()
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


def http_date(moment) -> str:  # type: ignore[no-untyped-def]
    """An RFC 5322 Date header value."""
    return format_datetime(moment)
