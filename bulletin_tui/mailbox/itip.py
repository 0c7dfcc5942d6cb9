"""Calendar replies (iTIP METHOD:REPLY, RFC 5546) as Outlook, Gmail and Apple Mail send them."""

from __future__ import annotations

from dataclasses import dataclass

from .message import Mail, part_text, walk

_CALENDAR_TYPES = ("text/calendar", "application/ics")


@dataclass(frozen=True)
class CalendarReply:
    """One attendee's answer to one event."""

    uid: str
    attendee: str
    partstat: str  # ACCEPTED | TENTATIVE | DECLINED | NEEDS-ACTION | DELEGATED
    sequence: int
    comment: str = ""


def _mailto(value: object) -> str:
    text = str(value)
    return text[7:] if text.lower().startswith("mailto:") else text


def _replies(text: str) -> list[CalendarReply]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError):
        return []
    if str(calendar.get("METHOD", "")).upper() != "REPLY":
        return []
    found = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE")
        for attendee in attendees if isinstance(attendees, list) else [attendees] if attendees else []:
            partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
            try:
                sequence = int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                sequence = 0
            found.append(CalendarReply(str(event.get("UID", "")), _mailto(attendee), partstat, sequence,
                                       " ".join(str(event.get("COMMENT", "")).split())[:300]))
    return found


def calendar_reply(mail: Mail) -> CalendarReply | None:
    """The first iTIP REPLY in the message (inline part or .ics attachment), or None."""
    for part in walk(mail.message):
        if part.get_content_type() in _CALENDAR_TYPES and not part.is_multipart():
            replies = _replies(part_text(part))
            if replies:
                return replies[0]
    return None
