"""The year's tools the CLI has, in the app: publishing the archive, session reminders, the partner organisations,
editing the awareness calendar, restoring a backup and the web face's state. Each calls the same service as the
CLI; the command palette finds them on every screen (`YEAR_TOOLS`, listed with the month's tools)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..domain.times import LONDON
from ..storage.outputs import EXPORTS
from .errors import EXPECTED_ERRORS, attempt_call, one_line_cause
from .messages import DataChanged
from .screens.confirm import ConfirmModal, PromptModal
from .screens.pick import PickModal
from .year_registers import YearRegisters

if TYPE_CHECKING:
    from ..services.context import AppContext
    from .app import TransportFactory

T = TypeVar("T")

YEAR_TOOLS = [
    ("publish_archive", "Publish the bulletin archive",
     "Write the archive website: index, one page per sent issue, sessions.ics (as bulletin publish)"),
    ("send_reminders", "Session reminders: queue and send those due now",
     "Reminders due now, never after a session has started, never twice (as sessions remind; the worker does it)"),
    ("partners", "Partner organisations", "Add, edit or remove the partners whose e-mails become draft items"),
    ("awareness_calendar", "Awareness calendar: edit the campaigns",
     "Add, edit or remove a campaign, or record a year's dates (as calendar add/edit/dates/remove)"),
    ("restore_backup", "Restore a backup",
     "Put an earlier copy of the database back (asks first; the current one is kept as a backup)"),
    ("web_status", "Status: web face, journal and worker",
     "Requests waiting in the journal, the applier's last run, the worker's jobs (as bulletin-tui status)"),
]


class YearTools(YearRegisters):
    """Mixed into the app (through the month's tools): one `action_*` per tool."""

    ctx: AppContext
    transport_factory: TransportFactory | None

    def _year_tool(self, action: str, call: Callable[[], T], *, writes: bool = True) -> T | None:
        return attempt_call(self, self.ctx.store, action, call, writes=writes)

    def action_publish_archive(self) -> None:
        """Ask for the folder (the exports folder first), write the site, say where it is."""
        from ..services.bulletins.publish import publish_site

        def publish(answer: str | None) -> None:
            site = self._year_tool("Publish", lambda: publish_site(self.ctx, Path(answer).expanduser()),
                                   writes=False) if answer else None
            if site is not None:
                self.notify(f"Published {site.issues} issue(s) and {site.sessions} upcoming session(s) to "
                            f"{site.folder}: upload it to the address in sender.archive_url.", title="Archive",
                            timeout=10)

        self.push_screen(PromptModal("Write the archive website into this folder:",
                                     value=str(self.ctx.data_dir / EXPORTS / "archive")), publish)

    def action_send_reminders(self) -> None:
        """Queue the reminders due now, then send them (and only them) in the background."""
        from ..services.sessions.reminders import queue_reminders

        queued = self._year_tool("Reminders", lambda: queue_reminders(self.ctx))
        if queued is None:
            return
        self.notify(f"{len(queued)} reminder(s) due now queued; sending the queued reminders.", title="Reminders")
        self.run_worker(self._send_reminders(), group="reminders", exclusive=True, exit_on_error=False)

    async def _send_reminders(self) -> None:
        from ..invites.message import InviteKind
        from ..services.mailings.session_delivery import deliver_pending_async

        transport = self.transport_factory() if self.transport_factory is not None else None
        try:
            delivered = await deliver_pending_async(self.ctx, transport, kinds=frozenset({InviteKind.REMINDER}))
        except EXPECTED_ERRORS as exc:
            self.notify(one_line_cause(exc), title="Reminders not sent", severity="error", timeout=10)
            return
        finally:
            if transport is not None:
                await transport.close()
        states = [d.outcome.value for d in delivered]
        told = ", ".join(f"{states.count(state)} {state}" for state in dict.fromkeys(states)) or "nothing to send"
        self.notify(f"Reminders: {told}.", title="Reminders")
        self.post_message(DataChanged("sessions"))

    def action_restore_backup(self) -> None:
        """Pick a backup, confirm, put it back; the screens show the restored data."""
        from ..services.folder.backups import backups, restore

        found = self._year_tool("Backups", lambda: backups(self.ctx), writes=False)
        if not found:
            self.notify("There are no backups in this data folder yet.", severity="warning")
            return
        by_name = {b.path.name: b for b in found}

        def run(name: str) -> None:
            done = self._year_tool("Restore", lambda: restore(self.ctx, by_name[name].path), writes=False)
            if done is not None:
                kept = f"; the database it replaced is kept as {done.kept.name}" if done.kept else ""
                self.notify(f"Restored {name}{' with its key' if done.key_restored else ''}{kept}.",
                            title="Restored", timeout=12)
                self.post_message(DataChanged("all"))

        def picked(name: str | None) -> None:
            if name:
                when = f"{by_name[name].made_at.astimezone(LONDON):%d %b %Y %H:%M}"
                self.push_screen(ConfirmModal(
                    f"Put back the database as it was at {when}? Every change made since is replaced (the current "
                    "database is kept as a backup first, so this can itself be undone).",
                    confirm_label="Restore", danger=True), lambda yes: run(name) if yes else None)

        if self.ctx.store.read_only:
            self.notify("Read-only: a backup cannot be restored here.", severity="warning")
            return
        self.push_screen(PickModal("Which backup? (newest first)", [
            (f"{b.made_at.astimezone(LONDON):%a %d %b %Y %H:%M}  {b.size / 1024:,.0f} KB  kept until "
             f"{b.kept_until.astimezone(LONDON):%d %b %Y}  ({b.path.name})", b.path.name) for b in found]), picked)

    def action_web_status(self) -> None:
        """The data folder's status, as `bulletin-tui status` prints it."""
        from ..services.folder.status import folder_status
        from ..services.web.journal_apply import pending_entries
        from .screens.documents import TextScreen

        def read() -> list[str]:
            return folder_status(self.ctx.data_dir, len(pending_entries(self.ctx)), self.ctx.clock.now()).lines()

        lines = self._year_tool("Status", read, writes=False)
        if lines is not None:
            self.push_screen(TextScreen(self.ctx, "Status: the data folder, the web face and the worker", lines))
