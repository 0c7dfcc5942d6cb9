"""'Add to calendar' links for the bulletin and the website (Google Calendar, Outlook on the web)."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from ..domain.sessions import InfoSession


def _utc_stamp(session: InfoSession) -> tuple[str, str]:
    fmt = "%Y%m%dT%H%M%SZ"
    return session.start.astimezone(UTC).strftime(fmt), session.end.astimezone(UTC).strftime(fmt)


def _details(session: InfoSession) -> str:
    parts = [session.description.strip()]
    if session.join_link:
        parts.append(f"Join: {session.join_link}")
    return "\n\n".join(p for p in parts if p)


def google_calendar_link(session: InfoSession) -> str:
    """A Google Calendar 'create event' link with UTC times."""
    start, end = _utc_stamp(session)
    query = {"action": "TEMPLATE", "text": session.title, "dates": f"{start}/{end}",
             "details": _details(session), "location": session.venue or (session.join_link or "")}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_link(session: InfoSession) -> str:
    """An Outlook on the web (Microsoft 365) compose link with ISO UTC times."""
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": session.title,
             "startdt": session.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
             "enddt": session.end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
             "body": _details(session), "location": session.venue or (session.join_link or "")}
    return "https://outlook.office.com/calendar/deeplink/compose?" + urlencode(query)
