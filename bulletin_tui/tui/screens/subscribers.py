"""Subscribers: a filtered window over every subscriber (fast at 50,000), add/edit, unsubscribe, erase, import."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from ...domain.subscribers import Subscriber
from ...domain.text import normalise_email
from ...services.context import AppContext
from ...services.subscribers.lists import all_lists
from ...services.subscribers.people import save_person, unsubscribe
from ...services.subscribers.suppression import suppress
from ..containment import on
from ..messages import DataChanged
from ..subscriber_index import WINDOW, SubscriberIndex, SubscriberRow
from ..widgets.cells import plain_row
from ..widgets.fit_table import Column, FitTable
from ..widgets.key_footer import KeyFooter
from ..widgets.table_place import Place, place_of, restore_place
from .base import WorkScreen
from .confirm import ConfirmModal, PromptModal
from .import_wizard import ImportWizard
from .record_form import RecordSaving
from .subscriber_form import SubscriberDraft, SubscriberForm

COLUMNS = (Column("E-mail", share=17, least=16, elide=True), Column("Name", share=9),
           Column("Organisation", share=13), Column("Lists", share=16))
"""Shares of the width (#25): at 80 columns every column is in view; addresses are cut in the middle."""


class SubscribersScreen(WorkScreen):
    """Type to filter; the table shows the first matches and the count of all."""

    filter_input = getters.query_one("#filter", Input)
    table = getters.query_one(DataTable)
    match_count = getters.query_one("#match-count", Static)

    HELP_TITLE = "Subscribers"
    HELP = ("Type in the filter to search addresses, names, organisations, areas and lists (all words must match). "
            "Lists in brackets are ones the person has left.")
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("u", "unsubscribe", "Unsubscribe"),
        Binding("s", "suppress", "Suppress"),
        Binding("x", "erase", "Erase"),
        Binding("i", "import_file", "Import"),
        Binding("o", "export", "Export"),
        Binding("d", "show_data", "Their data"),
        Binding("L", "app.new_list", "New list"),
        Binding("N", "app.rename_list", "Rename list"),
        Binding("z", "app.undo_import", "Undo an import"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Input(placeholder="Filter: e-mail, name, organisation, area or list", id="filter")
            yield Static(id="match-count")
        yield FitTable(COLUMNS, id="subscriber-table", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.table
        self.index = SubscriberIndex([])
        self.shown: list[SubscriberRow] = []
        self.select_next: str | None = None  # a just-added person is selected on the next reload
        table.focus()

    def reload(self) -> None:
        """The latest subscribers, the filter as typed, the cursor on the same person (at the same height)."""
        table = self.table
        place = place_of(table, [row.key for row in self.shown])
        self.index = SubscriberIndex.from_context(self.ctx, previous=self.index)
        self.show_matches()
        if self.select_next is not None:
            added, self.select_next = self.select_next, None
            place = Place(added, 0, 0)
            if added not in [row.key for row in self.shown]:  # filtered out, or beyond the window: show them
                query = self.filter_input
                with query.prevent(Input.Changed):
                    query.value = added
                self.show_matches()
        restore_place(table, place, [row.key for row in self.shown])

    @on(Input.Changed, "#filter")
    def show_matches(self) -> None:
        """Refill the table with the first matches of the filter (a window, never all 50,000 rows)."""
        query = self.filter_input.value
        count, rows = self.index.search(query)
        table = self.table
        table.clear()
        table.add_rows([plain_row(r.email, r.name, r.organisation, r.lists) for r in rows])
        more = f" (showing the first {WINDOW:,})" if count > WINDOW else ""
        self.match_count.update(f"{count:,} of {len(self.index):,}{more}")
        self.shown = rows

    @on(Input.Submitted, "#filter")
    def _to_table(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def selected_email(self) -> str | None:
        table = self.table
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row].email

    def _saving(self, key: str | None) -> RecordSaving[SubscriberDraft, Subscriber]:
        """How the form saves: an edit of the person stored under `key`, or a new person (whose key is the typed
        address: someone else adding the same address meanwhile is a conflict, not a merge)."""
        return RecordSaving(
            self.ctx.store, self.ctx.store.subscribers, key, noun="subscriber",
            key_of=lambda d: normalise_email(d.email),
            update=lambda d: save_person(self.ctx, d.email, d.details, d.lists, d.topic_list, new=False),
            create=lambda d: save_person(self.ctx, d.email, d.details, d.lists, d.topic_list, new=True))

    def action_add(self) -> None:
        self.app.push_screen(SubscriberForm(all_lists(self.ctx), self._saving(None)),
                             lambda person: self._saved(person, added=True))

    def action_edit(self) -> None:
        email = self.selected_email()
        key = normalise_email(email) if email else None
        if key is not None and self.still_there(self.ctx.store.subscribers, key, "subscriber"):
            self.app.push_screen(SubscriberForm(all_lists(self.ctx), self._saving(key)), self._saved)

    def _saved(self, person: Subscriber | None, added: bool = False) -> None:
        if person is not None:
            if added:
                self.select_next = person.email.casefold()
            self.notify(f"Added {person.email}; they are now selected." if added else f"Saved {person.email}.")
            self.post_message(DataChanged("subscribers"))

    def action_unsubscribe(self) -> None:
        email = self.selected_email()
        if email is None:
            return

        def done(confirmed: bool | None) -> None:
            if confirmed:
                result = self.attempt("Unsubscribe", lambda: unsubscribe(self.ctx, email, source="operator"))
                if result is not None:
                    self.notify(f"Unsubscribed {email} from {', '.join(result.lists) or 'no further lists'}.")
                    self.post_message(DataChanged("subscribers"))

        self.app.push_screen(ConfirmModal(f"Unsubscribe {email} from every list? The consent history records "
                                          "this as an operator action.", confirm_label="Unsubscribe"), done)

    def action_suppress(self) -> None:
        email = self.selected_email()
        if email is None:
            return

        def done(confirmed: bool | None) -> None:
            if confirmed and self.attempt("Suppress", lambda: _suppressed(self.ctx, email)):
                self.notify(f"Suppressed {email}: never mailed again, and imports will not re-add them.")
                self.post_message(DataChanged("subscribers"))

        self.app.push_screen(ConfirmModal(f"Suppress {email}? They are never mailed again (any list), and imports "
                                          "will not re-add them. The record is kept.", confirm_label="Suppress",
                                          danger=True), done)

    def action_erase(self) -> None:
        email = self.selected_email()
        if email is None:
            return

        def done(confirmed: bool | None) -> None:
            if confirmed:
                from ...services.privacy.subject import erase

                report = self.attempt("Erase", lambda: erase(self.ctx, email))
                if report is not None:
                    self.notify(f"Erased {email}; only a keyed hash remains on the suppression list. "
                                "Copies exported outside the data folder are yours to delete.")
                    self.post_message(DataChanged("subscribers"))

        self.app.push_screen(ConfirmModal(f"Erase everything held about {email}? This cannot be undone; the "
                                          "address is kept only as a keyed hash so it is never mailed again.",
                                          confirm_label="Erase", danger=True), done)

    def action_show_data(self) -> None:
        """Subject access for the highlighted person (everything held, as JSON; s saves it)."""
        self.bulletin_app.action_subject_access(self.selected_email() or "")

    def action_import_file(self) -> None:
        self.app.push_screen(ImportWizard(), self._imported)

    def _imported(self, changed: bool | None) -> None:
        if changed:
            self.post_message(DataChanged("import"))

    def action_export(self) -> None:
        default = str(self.ctx.data_dir / "exports" / f"subscribers-{self.ctx.clock.now():%Y-%m-%d}.csv")
        self.app.push_screen(PromptModal("Export every subscriber to the CSV file:", value=default), self._export)

    def _export(self, target: str | None) -> None:
        if not target:
            return
        from pathlib import Path

        from ...services.subscribers.export import export_csv

        count = self.attempt("Export", lambda: export_csv(self.ctx, Path(target).expanduser()), writes=False)
        if count is not None:
            self.notify(f"Exported {count:,} subscribers to {target}.")


def _suppressed(ctx: AppContext, email: str) -> bool:
    """Suppress at the operator's request; True on success (attempt() gives None on failure)."""
    suppress(ctx, email, "operator request")
    return True
