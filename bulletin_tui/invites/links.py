"""'Add to calendar' links for the bulletin and the website (Google Calendar, Outlook on the web).

These are public (the bulletin is forwarded and archived), so they never carry the join link: that goes only into
a confirmed registrant's own invite and reminders."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from ..domain.sessions import InfoSession, SessionFormat

PUBLIC_JOINING = "Joining details are sent to you when you register."


def _utc_stamp(session: InfoSession) -> tuple[str, str]:
    fmt = "%Y%m%dT%H%M%SZ"
    return session.start.astimezone(UTC).strftime(fmt), session.end.astimezone(UTC).strftime(fmt)


def _details(session: InfoSession) -> str:
    parts = [session.description.strip()]
    if session.format is not SessionFormat.IN_PERSON:
        parts.append(PUBLIC_JOINING)
    return "\n\n".join(p for p in parts if p)


def public_location(session: InfoSession) -> str:
    """The venue, or "Online" (never the join link)."""
    return session.venue or ("Online" if session.format is not SessionFormat.IN_PERSON else "")


def google_calendar_link(session: InfoSession) -> str:
    """A Google Calendar 'create event' link with UTC times."""
    start, end = _utc_stamp(session)
    query = {"action": "TEMPLATE", "text": session.title, "dates": f"{start}/{end}",
             "details": _details(session), "location": public_location(session)}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_link(session: InfoSession) -> str:
    """An Outlook on the web (Microsoft 365) compose link with ISO UTC times."""
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": session.title,
             "startdt": session.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
             "enddt": session.end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
             "body": _details(session), "location": public_location(session)}
    return "https://outlook.office.com/calendar/deeplink/compose?" + urlencode(query)
