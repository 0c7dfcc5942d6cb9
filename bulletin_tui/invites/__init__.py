"""iCalendar invites: REQUEST / CANCEL / PUBLISH, a compact Europe/London VTIMEZONE, the invite e-mail."""

from .ics import InviteMethod, Organizer, build_invite, publish_calendar
from .links import google_calendar_link, outlook_calendar_link

__all__ = [
    "InviteMethod", "Organizer", "build_invite", "google_calendar_link", "outlook_calendar_link",
    "publish_calendar",
]
