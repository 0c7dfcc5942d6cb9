"""Information sessions: the catalogue (create, edit, cancel), registrations with capacity and waiting list,
several dates per session and moves between them, the session mail queue (`services.mailings.session_delivery`
delivers it), reminders, form-export imports, attendance and Teams reports.

Modules:
- `attendance`: Attendance: mark attended / no-show / not recorded, apply a Teams report, export CSV.
- `catalogue`: Information sessions: create, edit (SEQUENCE and updates on time/place/link changes), cancel, list.
- `followup`: After a session: its materials (links, questionnaire, PDFs, a note) and who the follow-up goes to.
- `form_import`: Import registrations from a form export (Microsoft Forms, Google Forms, Eventbrite-like CSV).
- `mail`: Session mail (invites, updates, cancellations, reminders): a durable queue in the database.
- `mail_problems`: Session mail that did not arrive, with the reason the queue holds.
- `moves`: Move a registration to another date of its session.
- `occurrences`: Sessions that run on several dates.
- `places`: A session's places: the lock every read-decide-write of them takes, and which way someone attends.
- `registrations`: Registrations: register, withdraw, waiting list in arrival order.
- `reminders`: Reminders N hours before each session: never after the start, never twice.
- `rescheduling`: The new times of a session or of one of its dates: a new start alone keeps the length.
- `rolls`: What `sessions registrations` and `sessions mail` list: numbered registrations, each mail's address.
- `teams`: Read a Microsoft Teams attendance report as Teams really writes it, whichever year's format.
"""
