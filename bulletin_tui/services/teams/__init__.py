"""Microsoft Teams through Microsoft Graph (app-only, the [oauth] app): the meeting made or linked for each online
date of a session, kept in step when the session moves or is cancelled, and attendance taken from Teams'
attendance reports. Everything it writes goes through the session services (the join link, attendance), the same
as typing a link or importing a downloaded report. Settings: `[teams]`; permissions: docs/microsoft-365.md.

For the worker: `teams_round(ctx)` (a coroutine: sync, then due attendance; one log line), or the plain functions
`sync_meetings(ctx)` and `fetch_due_attendance(ctx)`.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "AttendanceRun": "attendance",
    "DateAttendance": "attendance",
    "GraphClient": "graph",
    "GraphError": "graph",
    "MeetingKind": "records",
    "MeetingMade": "meetings",
    "SyncRun": "sync",
    "TeamsMeeting": "records",
    "add_session_with_teams": "meetings",
    "create_meetings": "meetings",
    "fetch_due_attendance": "attendance",
    "graph_client": "wiring",
    "link_meeting": "meetings",
    "meetings_of": "records",
    "pending_changes": "sync",
    "sync_meetings": "sync",
    "take_attendance": "attendance",
    "teams_enabled": "wiring",
    "teams_round": "rounds",
    "teams_steps": "check",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
