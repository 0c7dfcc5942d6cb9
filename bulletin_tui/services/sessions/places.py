"""A session's places: the lock every read-decide-write of them takes, and which way someone attends."""

from __future__ import annotations

import threading

from ...domain.sessions import AttendanceMode, InfoSession, SessionFormat

PLACES_LOCK = threading.RLock()
"""Held for each read-decide-write of a session's places, so two workers never both take the last place."""


def mode_for(session: InfoSession, mode: AttendanceMode | None) -> AttendanceMode:
    """The way someone attends: the session's own for an in-person or online one, else theirs (online if unsaid)."""
    if session.format is SessionFormat.IN_PERSON:
        return AttendanceMode.IN_PERSON
    if session.format is SessionFormat.ONLINE:
        return AttendanceMode.ONLINE
    return mode or AttendanceMode.ONLINE
