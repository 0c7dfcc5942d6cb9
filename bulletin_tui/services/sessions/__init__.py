"""Information sessions: the catalogue (create, edit, cancel), registrations with capacity and waiting list,
several dates per session and moves between them, the session mail queue and its delivery, reminders,
form-export imports, attendance and Teams reports.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "AttendanceImport": "attendance",
    "DateChange": "occurrences",
    "Delivered": "delivery",
    "FormRow": "form_import",
    "MailOutcome": "mail",
    "MoveOutcome": "moves",
    "QueuedMail": "mail",
    "RegistrationImport": "form_import",
    "RegistrationOutcome": "registrations",
    "ReminderQueued": "reminders",
    "SessionChange": "catalogue",
    "TeamsAttendee": "teams",
    "TeamsReport": "teams",
    "add_occurrence": "occurrences",
    "attendance_by_date": "attendance",
    "attendance_csv": "attendance",
    "attendance_summary": "attendance",
    "cancel_occurrence": "occurrences",
    "cancel_registration": "registrations",
    "cancel_session": "catalogue",
    "create_session": "catalogue",
    "deliver_pending": "delivery",
    "deliver_pending_async": "delivery",
    "due_windows": "reminders",
    "edit_occurrence": "occurrences",
    "edit_session": "catalogue",
    "export_attendance": "attendance",
    "find_by_id_or_email": "moves",
    "find_registration": "registrations",
    "get_session": "catalogue",
    "import_registrations": "form_import",
    "import_teams_report": "attendance",
    "list_sessions": "catalogue",
    "mail_queue": "mail",
    "mark_attendance": "attendance",
    "mark_attended": "attendance",
    "move_registration": "moves",
    "new_uid": "catalogue",
    "occurrence_places": "occurrences",
    "organizer_of": "mail",
    "parse_duration": "teams",
    "parse_times": "catalogue",
    "pending_mail": "mail",
    "promote_waiting": "registrations",
    "queue_mail": "mail",
    "queue_reminders": "reminders",
    "read_form_export": "form_import",
    "read_teams_report": "teams",
    "register": "registrations",
    "registration_counts": "catalogue",
    "registration_id": "registrations",
    "registrations_for": "registrations",
    "render_mail": "mail",
    "resend_uncertain": "delivery",
    "scheduled_session": "registrations",
    "set_mode": "registrations",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
