"""What every main screen shares: header, footer, the app's context and a safe way to call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from ...services.context import AppContext
from ...storage.collection import Collection
from ..containment import ContainHandlerErrors, on
from ..errors import EXPECTED_ERRORS, attempt_call, one_line_cause
from ..widgets.area_bar import AreaBar

__all__ = ["EXPECTED_ERRORS", "WorkScreen", "one_line_cause"]

if TYPE_CHECKING:
    pass

T = TypeVar("T")


class WorkScreen(ContainHandlerErrors, Screen[None]):
    """A main screen of the app (one per mode)."""

    HELP_TITLE = ""
    HELP = ""

    @property
    def ctx(self) -> AppContext:
        return self.bulletin_app.ctx

    shown_version = -1

    @on(events.Mount)
    def _add_area_bar(self) -> None:
        """The six areas under the header (then the read-only banner, if any): where am I, where else to go."""
        headers = self.query(Header)
        bar = AreaBar()
        if headers:
            self.mount(bar, after=headers.first())
        else:
            self.mount(bar, before=0)
        if self.ctx.store.read_only:
            why = self.ctx.store.db.read_only_reason or "opened read-only"
            self.mount(Static(f"READ-ONLY: {why}; nothing can be changed", classes="read-only-banner"), after=bar)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The safety net: an unexpected error in a worker becomes a notification, never a crash."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            what = event.worker.description or event.worker.name or "A background task"
            self.notify(one_line_cause(event.worker.error), title=f"{what} failed", severity="error", timeout=10)

    def on_screen_resume(self) -> None:
        """Reload when the data changed since this screen last showed it."""
        if self.shown_version != self.bulletin_app.data_version:
            self.refresh_data()

    def refresh_data(self) -> None:
        self.shown_version = self.bulletin_app.data_version
        self.reload()

    def reload(self) -> None:
        """Re-read what the screen shows (after any change)."""

    def still_there(self, collection: Collection[Any], key: str, noun: str) -> bool:
        """Catch up with other processes' saves first (a form opens on the newest version); False, saying so,
        when someone else removed the record meanwhile."""
        self.bulletin_app.catch_up()
        if key in collection:
            return True
        self.notify(f"Someone else removed this {noun} meanwhile; the screen shows what is there now.",
                    severity="warning")
        return False

    def attempt(self, action: str, call: Callable[[], T], *, writes: bool = True) -> T | None:
        """Run one service call; a failure becomes an error notification (never a crash). None on failure."""
        return attempt_call(self, self.ctx.store, action, call, writes=writes)
