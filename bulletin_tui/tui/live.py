"""Live screens (#24): the app follows saves made by other processes (another officer's app, a command, the worker,
the web face's applier) and shows them within a second, keeping the cursor and whatever is being typed.

Twice a second the app peeks at the generation stamped at the start of the database file (a 256-byte read, no
lock). Only when another process has saved since does it re-read the file (`Store.refresh`), bump `data_version`
and reload the screen on show; screens not on show reload when next shown (`WorkScreen.on_screen_resume`). Forms
are never reloaded: what is typed stays, and a form whose record changed meanwhile says so once; its save then
offers keep mine / take theirs (`screens/record_form.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Select

from ..storage.atomic import collector_paused
from ..storage.errors import StorageError
from .errors import one_line_cause
from .screens.base import WorkScreen
from .screens.record_form import RecordForm

if TYPE_CHECKING:
    from textual.app import App

    from ..services.context import AppContext

    _AppBase = App[None]
else:
    _AppBase = object

LIVE_EVERY_S = 0.5
"""How often the app looks for another process's save (the screen shows it within about this, plus the re-read)."""


class FollowsOtherSaves(_AppBase):
    """The app side of live screens: the interval, the re-read, the reload of the screen on show."""

    ctx: AppContext
    data_version: int
    shown_generation: str | None = None

    def follow_other_saves(self) -> None:
        self._unreadable = ""
        self._told_forms: dict[int, object] = {}
        self.shown_generation = self._generation()
        self.set_interval(LIVE_EVERY_S, self.catch_up, name="follow other processes' saves")

    def _generation(self) -> str | None:
        """The save the data in memory is (ours, or another process's re-read here or by a sending thread)."""
        return self.ctx.store.generation

    def catch_up(self) -> bool:
        """Re-read the database if another process saved since ours, then make sure the screen on show shows the
        newest data (True when the data changed). Cheap when nothing changed: one small read and a comparison."""
        store = self.ctx.store
        try:
            if store.changed_on_disk():
                with collector_paused():
                    store.refresh()
        except StorageError as exc:  # e.g. a damaged file: keep showing what was read last, say so once
            cause = one_line_cause(exc)
            if cause != self._unreadable:
                self._unreadable = cause
                self.notify(f"Could not read the latest save: {cause}", title="Data folder", severity="error",
                            timeout=15)
            return False
        self._unreadable = ""
        changed = self._generation() != self.shown_generation
        if changed:  # a send's thread may have re-read it too (services.mailings.runs.on_fresh_data)
            self.shown_generation = self._generation()
            self.data_version += 1
            self._tell_open_form()
        self.show_latest()
        return changed

    def visible_work_screen(self) -> WorkScreen | None:
        """The main screen on show (under any dialog or form on top of it)."""
        return next((screen for screen in reversed(self.screen_stack) if isinstance(screen, WorkScreen)), None)

    def show_latest(self) -> None:
        """Reload the screen on show if it shows an older version of the data (not while a list is open on it)."""
        screen = self.visible_work_screen()
        if screen is None or screen.shown_version == self.data_version or not screen.is_mounted:
            return
        if any(select.expanded for select in screen.query(Select)):
            return  # a drop-down is open: reloading would close it; the next look reloads
        with collector_paused():
            screen.refresh_data()

    def _tell_open_form(self) -> None:
        """A form whose record someone else saved meanwhile says so (once per change)."""
        form: Any = self.screen
        if not isinstance(form, RecordForm) or form.saving.key is None:
            return
        stored = form.saving.row()
        if stored == form.original or self._told_forms.get(id(form)) is stored:
            return
        self._told_forms = {id(form): stored}
        what = "removed" if stored is None else "saved"
        self.notify(f"Someone else {what} this {form.saving.noun} while you are editing it. Nothing is lost: "
                    "when you save, you choose whose version to keep.", title="Changed elsewhere",
                    severity="warning", timeout=10)
