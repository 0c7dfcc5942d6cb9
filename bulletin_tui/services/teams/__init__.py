"""Microsoft Teams through Microsoft Graph (app-only, the [oauth] app): the meeting made or linked for each online
date of a session, kept in step when the session moves or is cancelled, and attendance taken from Teams'
attendance reports. Everything it writes goes through the session services (the join link, attendance), the same
as typing a link or importing a downloaded report. Settings: `[teams]`; permissions: docs/microsoft-365.md.

For the worker: `teams_round(ctx)` (a coroutine: sync, then due attendance; one log line), or the plain functions
`sync_meetings(ctx)` and `fetch_due_attendance(ctx)`.

Modules:
- `api`: The Graph requests behind a session's Teams meeting: make, move, cancel, and find one by its join link.
- `attendance`: Attendance taken from Teams.
- `check`: `mail check` for Teams through Graph.
- `explain`: What each Graph request needs, and Graph's refusals in one line.
- `graph`: A small Microsoft Graph client over HTTPS (the standard library's urllib).
- `meetings`: A Teams meeting for a session.
- `records`: The Teams meeting behind each date of a session, as stored.
- `reports`: Reading a meeting's attendance from Graph (network only, no database).
- `rounds`: One round of Teams work for the worker, as a coroutine.
- `sync`: Keep Teams in step with the sessions.
- `wiring`: The Graph client the settings ask for.
"""
