"""The invite e-mail: a human body (date, time, how to join, how to cancel) plus the calendar, two ways."""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid, quote
from enum import StrEnum
from urllib.parse import urlsplit

from ..domain.identity import envelope_address
from ..domain.sessions import AttendanceMode, InfoSession, SessionFormat
from ..domain.text import needs_smtputf8
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
    MOVED = "moved"

    @property
    def method(self) -> InviteMethod | None:
        """The iCalendar METHOD, or None for a notice that carries no calendar (waiting-list messages)."""
        if self in (InviteKind.WAITLISTED, InviteKind.WAITLIST_CANCELLED):
            return None
        cancels = self in (InviteKind.CANCEL_SESSION, InviteKind.WITHDRAWN, InviteKind.MOVED)
        return InviteMethod.CANCEL if cancels else InviteMethod.REQUEST


SUBJECT_PREFIX = {
    InviteKind.INVITE: "Invitation",
    InviteKind.UPDATE: "Updated invitation",
    InviteKind.CANCEL_SESSION: "Cancelled",
    InviteKind.WITHDRAWN: "Registration cancelled",
    InviteKind.REMINDER: "Reminder",
    InviteKind.WAITLISTED: "Waiting list",
    InviteKind.WAITLIST_CANCELLED: "Cancelled",
    InviteKind.MOVED: "Moved to another date",
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
    InviteKind.MOVED: "As requested, your place has moved to another date of this session. The attached notice "
                      "removes the date below from your calendar; the invitation for your new date is sent "
                      "separately.",
}
PROMOTED_OPENING = ("Good news: a place has come free on the session below, and it is yours. It is attached as a "
                    "calendar invite.")


TEXT_WIDTH = 78
PLATFORMS = (("teams.microsoft.com", "Microsoft Teams"), ("teams.live.com", "Microsoft Teams"),
             ("zoom.us", "Zoom"), ("meet.google.com", "Google Meet"), ("webex.com", "Webex"))
_TRAILING_URL = re.compile(r"^(?P<prefix>.*?)[\s:]*(?P<url>https?://\S+)$")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    mode: AttendanceMode = AttendanceMode.ONLINE
    promoted: bool = False  # the place came free and went to them from the waiting list
    waiting_place: int | None = None  # 1 = next in line
    offers: tuple[str, ...] = ()  # other dates of the session with places ("Tuesday 2 March 2027, 9.30 am ...")


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
    """Exactly how to give up a place: a Decline from the calendar reaches the team (RSVP=TRUE; `inbox fetch`
    applies it), and so does a message."""
    return ("Decline the invitation in your calendar, or " + write_to(session, organizer, "Cancel")[0].lower()
            + write_to(session, organizer, "Cancel")[1:] + " We then offer your place to the next person on the "
            "waiting list.")


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
        rows += [("Waiting list", f"{place} (places are offered in this order)")]
        rows += _offer_rows(session, organizer, recipient.offers)
        return rows + [("To leave the list", write_to(session, organizer, "Leave waiting list"))]
    if kind in (InviteKind.CANCEL_SESSION, InviteKind.WAITLIST_CANCELLED) and recipient.offers:
        return rows + _offer_rows(session, organizer, recipient.offers)
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


def _offer_rows(session: InfoSession, organizer: Organizer, offers: tuple[str, ...]) -> list[tuple[str, str]]:
    """The other dates of the session that have places, and how to ask for one (none: no rows)."""
    if not offers:
        return []
    return [("Other dates with places", "; ".join(offers)),
            ("To take one of them", write_to(session, organizer, "Move me") + " Name the date you want.")]


def platform_name(url: str) -> str:
    """"Microsoft Teams", "Zoom", ... from the link's host; the host itself for anything else."""
    host = (urlsplit(url).hostname or "").lower()
    for domain, name in PLATFORMS:
        if host == domain or host.endswith("." + domain):
            return name
    return host.removeprefix("www.") or "online meeting"


def join_text(url: str) -> str:
    """The words of a join link: "Join the session (Microsoft Teams)"."""
    return f"Join the session ({platform_name(url)})"


def split_link(value: str) -> tuple[str, str | None]:
    """("Online", URL) for a value ending in a link; (value, None) otherwise."""
    match = _TRAILING_URL.match(value)
    return (match["prefix"], match["url"]) if match else (value, None)


def greeting_for(recipient: Recipient) -> str:
    return f"Dear {recipient.name}," if recipient.name else "Hello,"


def _wrap(line: str, indent: str = "  ") -> str:
    return textwrap.fill(line, width=TEXT_WIDTH, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def _text(greeting: str, opening: str, rows: list[tuple[str, str]], organizer: Organizer,
          footer: tuple[str, ...] = ()) -> str:
    """The plain-text part: lines of at most 78 columns; a link alone on its own line; `footer` lines last."""
    lines = [_wrap(greeting, ""), "", _wrap(opening, ""), ""]
    for label, value in rows:
        prefix, url = split_link(value)
        if url is None:
            lines.append(_wrap(f"{label}: {value}"))
        else:
            lines += [_wrap(f"{label}: {prefix}" if prefix else f"{label}:"), f"  {join_text(url)}:", f"  {url}"]
    return "\n".join([*lines, "", organizer.name, organizer.email, *(["", *footer] if footer else []), ""])


def _html(greeting: str, opening: str, rows: list[tuple[str, str]], organizer: Organizer) -> str:
    """A minimal HTML part for callers without templates (the sessions service uses the bulletin's shell)."""
    esc = html.escape
    cells = "".join(f'<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">{esc(label)}</th>'
                    f'<td style="padding:4px 0">{_html_value(value)}</td></tr>' for label, value in rows)
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(rows[0][1])}</title>'
            f'</head><body style="font-family:Arial,sans-serif;color:#1b1b1b;max-width:600px">'
            f"<p>{esc(greeting)}</p><p>{esc(opening)}</p><table role=\"presentation\">{cells}</table>"
            f"<p>{esc(organizer.name)}<br>{esc(organizer.email)}</p></body></html>")


def _html_value(value: str) -> str:
    prefix, url = split_link(value)
    if url is None:
        return html.escape(value)
    link = f'<a href="{html.escape(url)}">{html.escape(join_text(url))}</a>'
    return f"{html.escape(prefix)}: {link}" if prefix else link


def build_invite_email(
    kind: InviteKind, session: InfoSession, recipient: Recipient, organizer: Organizer, ics: bytes | None, *,
    date_header: str, domain: str, reply_to: str = "", html_body: str | None = None, text_footer: tuple[str, ...] = (),
) -> bytes:
    """One message: multipart/mixed[alternative[text, html, text/calendar; method=M], invite.ics], or
    multipart/alternative[text, html] for a notice without a calendar (`ics` None).

    `html_body` is the finished HTML part (the sessions service renders it in the bulletin's shell); `text_footer`
    ends the plain-text part (the privacy notice link)."""
    rows = body_lines(kind, session, recipient, organizer)
    greeting = greeting_for(recipient)
    message = EmailMessage(policy=SMTPUTF8 if needs_smtputf8(recipient.email) else SMTP)
    message["From"] = _mailbox(organizer.name, organizer.email)
    message["To"] = _mailbox(recipient.name, recipient.email)
    message["Subject"] = subject_for(kind, session)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = date_header
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    opening = opening_for(kind, recipient)
    message.set_content(_text(greeting, opening, rows, organizer, text_footer))
    message.add_alternative(html_body or _html(greeting, opening, rows, organizer), subtype="html")
    if ics is None or kind.method is None:
        return message.as_bytes()
    method = kind.method.value
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method, "charset": "utf-8"},
                            cte="base64")
    message.make_mixed()
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


def _mailbox(name: str, email: str) -> Address | str:
    """A mailbox with the domain as A-labels; the name is RFC 2047-encoded by the policy, or (with a UTF-8
    local part, which needs SMTPUTF8 anyway) written as UTF-8 (RFC 6532)."""
    address = envelope_address(email)
    if address.isascii():
        return Address(name, addr_spec=address)
    return f'"{quote(name)}" <{address}>' if name else address


def http_date(moment) -> str:  # type: ignore[no-untyped-def]
    """An RFC 5322 Date header value."""
    return format_datetime(moment)
