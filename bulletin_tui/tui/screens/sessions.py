"""Sessions: list, edit (DST-aware), registrations and waiting list, register/cancel, invites, attendance."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static

from ...domain.occurrences import total_places
from ...domain.sessions import InfoSession, Registration, RegistrationStatus, confirmed_count
from ...services.sessions.attendance import (
    attendance_label,
    import_teams_report,
    mark_attendance,
    next_attendance,
)
from ...services.sessions.catalogue import (
    SessionChange,
    cancel_session,
    create_session,
    edit_session,
    get_session,
    list_sessions,
)
from ...services.sessions.mail import pending_mail
from ...services.sessions.registrations import cancel_registration, register, registrations_for
from ...services.sessions.rolls import registration_roll
from ..containment import on
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..messages import DataChanged, WorkerFailed
from ..widgets.cells import plain_row
from ..widgets.fit_table import FitTable
from ..widgets.key_footer import KeyFooter
from ..widgets.table_place import Place, place_of, restore_place
from .base import WorkScreen
from .confirm import ConfirmModal, PromptModal
from .feedback import FeedbackModal
from .record_form import RecordSaving
from .register_form import RegisterForm
from .session_dates import (
    SessionDatesMixin,
    dates_text,
    offer_text,
    when_text,
    without_dates,
)
from .session_form import SessionForm
from .session_list import (
    REGISTRATION_COLUMNS,
    SECTION_WIDTH,
    SESSION_COLUMNS,
    in_list_order,
    registration_columns,
    section_label,
    session_row,
)
from .session_mail_problems import delivery_problems, problems_text

SESSION_KEYS = Binding.Group("New/edit")
REGISTRATION_KEYS = Binding.Group("Register/cancel")
"""Footer groups (#25): two keys under one label, so more of the screen's keys fit."""


class SessionsScreen(SessionDatesMixin, WorkScreen):
    """Pick a session on the left; its registrations (confirmed, then the waiting list) on the right."""

    registration_table = getters.query_one("#registration-table", FitTable)
    session_info = getters.query_one("#session-info", Static)
    session_table = getters.query_one("#session-table", DataTable)

    HELP_TITLE = "Sessions"
    HELP = ("Times are Europe/London. When a place frees up, the first person on the waiting list is promoted and "
            "an invite is queued; s sends every queued invite, update and cancellation (to the outbox or SMTP). "
            "A training on several dates: o adds a date, r asks which date, v moves the highlighted person to "
            "another date (their old calendar entry is cancelled, the new one sent), d cancels one date.")
    BINDINGS = [
        Binding("n", "new_session", "New", group=SESSION_KEYS),
        Binding("e", "edit_session", "Edit", group=SESSION_KEYS),
        Binding("r", "register", "Register", group=REGISTRATION_KEYS),
        Binding("c", "cancel_registration", "Cancel reg.", group=REGISTRATION_KEYS),
        Binding("m", "mark_attended", "Attendance"),
        Binding("t", "import_teams", "Teams report"),
        Binding("s", "send_invites", "Send invites"),
        Binding("x", "cancel_session", "Cancel session"),
        Binding("f", "follow_up", "Follow-up", show=False),  # in help and the palette; the footer is full
        Binding("q", "feedback", "Questionnaire feedback", show=False),
        Binding("o", "add_date", "Add date", show=False),
        Binding("v", "move_registration", "Move date", show=False),
        Binding("d", "cancel_date", "Cancel a date", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sessions-body"):
            yield FitTable(SESSION_COLUMNS, id="session-table", label_width=SECTION_WIDTH)
            with Vertical(id="session-detail"):
                yield Static(id="session-info", markup=False)
                yield FitTable(REGISTRATION_COLUMNS, id="registration-table", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sessions: list[InfoSession] = []
        self.registrations: list[Registration] = []
        self.registrations_of: str | None = None  # the session whose registrations the table shows
        self.select_next: str | None = None  # a just-created session becomes the selected one on the next reload
        self.session_table.focus()

    def reload(self) -> None:
        table = self.session_table
        place = place_of(table, [s.slug for s in self.sessions])
        if self.select_next is not None:
            place, self.select_next = Place(self.select_next, 0, 0), None
        self.sessions, upcoming = in_list_order(list_sessions(self.ctx), self.ctx.clock.now())
        table.clear()
        for row, session in enumerate(self.sessions):
            table.add_row(*session_row(session, registrations_for(self.ctx, session.slug), past=row >= upcoming),
                          label=section_label(row, upcoming))
        slugs = [s.slug for s in self.sessions]
        if place.key in slugs:  # the same session (or the one just created); else the next one, at the top
            restore_place(table, place, slugs)
        self.show_registrations()

    def current_session(self) -> InfoSession | None:
        row = self.session_table.cursor_row
        sessions = getattr(self, "sessions", [])
        return sessions[row] if sessions and 0 <= row < len(sessions) else None

    def current_registration(self) -> Registration | None:
        row = self.registration_table.cursor_row
        return self.registrations[row] if self.registrations and 0 <= row < len(self.registrations) else None

    @on(DataTable.RowHighlighted, "#session-table")
    def show_registrations(self) -> None:
        session, table = self.current_session(), self.registration_table
        same = session is not None and session.slug == self.registrations_of
        kept = place_of(table, [reg.id for reg in self.registrations] if same else [])
        self.registrations_of = session.slug if session else None
        several = session is not None and bool(session.occurrences)
        table.set_spec(registration_columns(several))  # a session on several dates shows each person's date first
        table.clear()
        self.registrations = []
        if session is None:
            self.session_info.update("No sessions yet: press n to add one.")
            return
        # "#": the place within its group (1 = first on the waiting list), per date for a session on several
        places = registration_roll(self.ctx, session.slug).places  # as `sessions registrations` numbers them
        found = [reg for _, reg in places]
        self.registrations = found
        for place, reg in places:
            attended = {True: "yes", False: "no-show", None: "–"}[reg.attended]
            cells = (reg.status.value, place, reg.name or "—", reg.email, attended)
            table.add_row(*plain_row(*((reg.occurrence_id, *cells) if several else cells)))
        restore_place(table, kept, [reg.id for reg in self.registrations])
        waiting = sum(r.status is RegistrationStatus.WAITLISTED for r in found)
        queued = len(pending_mail(self.ctx, session.slug))
        label = session.status_at(self.ctx.clock.now())
        capacity = total_places(session)
        status = "" if label == "scheduled" else f"{label.upper()} · "
        self.session_info.update(
            f"{status}{session.title}\n{when_text(session)} · {session.where}\n"
            f"{confirmed_count(found)} confirmed of {capacity or 'unlimited'} · {waiting} waiting · "
            f"{queued} message(s) queued{dates_text(session, found)}{problems_text(self.ctx, session.slug)}")

    def _changed(self, message: str) -> None:
        self.notify(message)
        self.post_message(DataChanged("sessions"))

    def _session_saving(self, slug: str | None) -> RecordSaving[dict[str, Any], Any]:
        """How the form saves: an edit of session `slug`, or a new session (under the short name typed; someone
        else making one with that name meanwhile is a conflict). "Save mine as new" after a removal keeps `slug`."""

        def update(fields: dict[str, Any]) -> SessionChange:
            key = slug or str(fields["slug"])
            changes = {name: value for name, value in fields.items() if name != "slug"}
            return edit_session(self.ctx, key, **(without_dates(get_session(self.ctx, key), changes) or {}))

        return RecordSaving(self.ctx.store, self.ctx.store.sessions, slug, noun="session",
                            key_of=lambda fields: str(fields["slug"]), update=update,
                            create=lambda fields: create_session(self.ctx, **({"slug": slug} | fields)))

    def action_new_session(self) -> None:
        self.app.push_screen(SessionForm(self._session_saving(None)), self._session_saved)

    def action_edit_session(self) -> None:
        session = self.current_session()
        if session is not None and self.still_there(self.ctx.store.sessions, session.slug, "session"):
            self.app.push_screen(SessionForm(self._session_saving(session.slug)), self._session_saved)

    def _session_saved(self, result: SessionChange | InfoSession | None) -> None:
        if isinstance(result, InfoSession):
            self.select_next = result.slug
            self._changed(f"Created session {result.slug}; it is now selected.")
        elif result is not None:
            for warning in result.warnings:
                self.notify(warning, severity="warning")
            notified = f"; an update is queued for {len(result.notified)}" if result.notified else ""
            self._changed(f"Saved {result.session.slug} ({', '.join(result.changed) or 'no changes'}){notified}.")

    def action_register(self) -> None:
        session = self.current_session()
        if session is not None:
            self.pick_date(session, lambda date: self.app.push_screen(
                RegisterForm(session.title), lambda person: self._register(session.slug, person, date)))

    def _register(self, slug: str, person: dict[str, str] | None, date: str | None = None) -> None:
        outcome = self.attempt("Register", lambda: register(
            self.ctx, slug, person["email"], name=person["name"], organisation=person["organisation"],
            occurrence=date)) if person else None
        if outcome is not None:
            state = "already registered" if outcome.already else outcome.registration.status.value
            on_date = f" (date {outcome.registration.occurrence_id})" if outcome.registration.occurrence_id else ""
            self._changed(f"{outcome.registration.email}: {state}{on_date}.{offer_text(outcome)}")

    def action_cancel_registration(self) -> None:
        session, reg = self.current_session(), self.current_registration()
        if session is None or reg is None or not reg.active:
            return

        def done(confirmed: bool | None) -> None:
            outcome = self.attempt("Cancel", lambda: cancel_registration(self.ctx, session.slug, reg.email)) \
                if confirmed else None
            if outcome is not None:
                promoted = ", ".join(r.email for r in outcome.promoted)
                self._changed(f"Cancelled {reg.email}." + (f" Promoted from the waiting list: {promoted}."
                                                           if promoted else ""))

        self.app.push_screen(ConfirmModal(f"Cancel {reg.email}'s registration? A cancellation is queued if they held "
                                          "a place, and the first person waiting is promoted.",
                                          confirm_label="Cancel registration"), done)

    def action_cancel_session(self) -> None:
        session = self.current_session()
        if session is None or session.cancelled:
            return

        def done(confirmed: bool | None) -> None:
            change = self.attempt("Cancel session", lambda: cancel_session(self.ctx, session.slug)) \
                if confirmed else None
            if change is not None:
                self._changed(f"Cancelled {session.slug}; a cancellation is queued for {len(change.notified)}.")

        self.app.push_screen(ConfirmModal(f"Cancel the session “{session.title}”? Everyone registered gets a "
                                          "calendar cancellation.", confirm_label="Cancel session", danger=True), done)

    def action_send_invites(self) -> None:
        session = self.current_session()
        if session is None:
            return
        queued = pending_mail(self.ctx, session.slug)
        if not queued:
            self.notify("Nothing queued for this session.")
            return

        def done(confirmed: bool | None) -> None:
            if confirmed and not self.ctx.store.read_only:
                self.deliver_invites(session.slug)

        self.app.push_screen(ConfirmModal(f"Send {len(queued)} queued invite/update/cancellation message(s) for "
                                          f"“{session.title}” now?", confirm_label=f"Send {len(queued)}"), done)

    @work(exclusive=True, group="session-mail", exit_on_error=False, description="Send invites")
    async def deliver_invites(self, slug: str) -> None:
        """Send the queued session mail through the app's transport; failures become a notification."""
        from ...services.mailings.session_delivery import deliver_pending_async

        transport = self.bulletin_app.make_transport()
        try:
            delivered = await deliver_pending_async(self.ctx, transport, slug)
        except EXPECTED_ERRORS as exc:
            self.post_message(WorkerFailed("Send invites", one_line_cause(exc)))
            return
        finally:
            if transport is not None:
                await transport.close()
        tally = Counter(d.outcome.value for d in delivered)
        paused = next((d.reply for d in delivered if d.paused), "")
        self._changed("Session mail: " + (", ".join(f"{n} {state}" for state, n in tally.items()) or "nothing sent")
                      + (f". Paused: {paused}; the rest stay queued." if paused else "") + delivery_problems(delivered))

    def action_mark_attended(self) -> None:
        """Step the highlighted person through attended, no-show and not recorded (a date still to come: refused)."""
        session, reg = self.current_session(), self.current_registration()
        if session is None or reg is None:
            return
        value = next_attendance(reg.attended)
        if self.attempt("Attendance", lambda: mark_attendance(self.ctx, session.slug, reg.email, value)):
            self._changed(f"{reg.email}: {attendance_label(value)} (m again: "
                          f"{attendance_label(next_attendance(value))}).")

    def action_import_teams(self) -> None:
        session = self.current_session()
        if session is not None:
            self.app.push_screen(PromptModal("Microsoft Teams attendance report (CSV or TSV, UTF-16 or UTF-8):",
                                             placeholder="/path/to/attendance.csv"),
                                 lambda path: self._import_teams(session.slug, path))

    def _import_teams(self, slug: str, path: str | None) -> None:
        result = self.attempt("Teams report", lambda: import_teams_report(self.ctx, slug, Path(path).expanduser())) \
            if path else None
        if result is not None:
            self._changed(f"{result.file}: {len(result.matched) + len(result.matched_by_name)} attended, "
                          f"{len(result.marked_absent)} marked absent, {len(result.not_registered)} not registered.")

    def action_feedback(self) -> None:
        """The highlighted session's questionnaire summary; from there, import an export (saved or guessed mapping)."""
        from ...services.feedback.summary import session_feedback, summary_text

        session = self.current_session()
        summary = self.attempt("Feedback", lambda: session_feedback(self.ctx, session.slug), writes=False) \
            if session is not None else None
        if session is not None and summary is not None:
            self.app.push_screen(FeedbackModal(session.title, summary_text(summary)),
                                 lambda choice: self._ask_feedback_file(session.slug) if choice == "import" else None)

    def _ask_feedback_file(self, slug: str) -> None:
        self.app.push_screen(PromptModal("Questionnaire export (Microsoft Forms .xlsx, or CSV): the mapping saved for "
                                         "this kind of session is used, else one is guessed from the headers.",
                                         placeholder="/path/to/feedback.xlsx"),
                             lambda path: self._import_feedback(slug, path))

    def _import_feedback(self, slug: str, path: str | None) -> None:
        from ...services.feedback.imports import import_feedback

        result = self.attempt("Feedback import", lambda: import_feedback(self.ctx, slug, Path(path).expanduser())) \
            if path else None
        if result is not None:
            self._changed(f"{result.file}: added {result.added} response(s), {result.already_imported} imported "
                          f"before (mapping {result.origin}).")
            self.action_feedback()

    def action_follow_up(self) -> None:
        """After the session: materials and feedback link to attendees (or no-shows), with progress."""
        from .followup import FollowUpScreen

        session = self.current_session()
        if session is not None:
            self.app.push_screen(FollowUpScreen(session.slug))
