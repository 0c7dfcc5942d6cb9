"""The import wizard: pick a file (folder tree or a path with completion) and a list -> preview how it was read
(encoding, delimiter, first rows), counts and invalid rows -> confirm -> undo if wanted."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, DirectoryTree, Input, Label, Select, Static

from ...services.subscribers.import_commit import commit_import, undo_import
from ...services.subscribers.imports import ImportPreview, preview_import
from ...services.subscribers.lists import all_lists
from ..containment import ContainHandlerErrors, on
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..widgets.cells import plain_row
from ..widgets.file_picking import PathSuggester, TableFileTree

COUNT_WORDS = {"new": "new subscribers", "joining": "already known, added to this list",
               "details": "already on this list, details updated", "unchanged": "unchanged",
               "duplicates": "duplicate rows", "invalid": "invalid rows (left out)",
               "suppressed": "suppressed (never re-added)", "unsubscribed": "previously unsubscribed (left out)"}


class ImportWizard(ContainHandlerErrors, ModalScreen[bool]):
    """Dismisses with True when the store was changed (imported, even if undone later)."""

    commit_button = getters.query_one("#commit", Button)
    first_rows_table = getters.query_one("#first-rows", DataTable)
    invalid_rows_table = getters.query_one("#invalid-rows", DataTable)
    path_input = getters.query_one("#path", Input)
    summary_static = getters.query_one("#summary", Static)
    undo_button = getters.query_one("#undo", Button)

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, start_folder: Path | None = None) -> None:
        super().__init__()
        self.start_folder = start_folder or Path.cwd()
        self.preview: ImportPreview | None = None
        self.import_id: str | None = None

    def compose(self) -> ComposeResult:
        lists = [(dl.name, dl.slug) for dl in all_lists(self.bulletin_app.ctx)]
        slugs = [slug for _name, slug in lists]
        default = "e-bulletin" if "e-bulletin" in slugs else (slugs[0] if slugs else None)
        with Vertical(classes="modal-box wizard-box"):
            yield Static("Import subscribers from a CSV file", classes="modal-title")
            with Horizontal(id="wizard-choice"):
                yield TableFileTree(self.start_folder, id="file-tree")
                with Vertical(id="wizard-fields"):
                    yield Label("1. File (CSV from Outlook, Excel or a form)")
                    yield Static("Pick it on the left, or type a path (→ completes it).", classes="field-hint")
                    yield Input(placeholder="/path/to/people.csv", id="path", suggester=PathSuggester(), compact=True)
                    yield Label("2. List to add them to")
                    yield Select(lists, id="list", allow_blank=False, value=default, compact=True) if lists else Static(
                        "No lists yet: the e-bulletin list will be created.", id="list")
            yield Static("", id="summary")
            with Horizontal(id="wizard-tables"):
                yield DataTable(id="first-rows", cursor_type="row")
                yield DataTable(id="invalid-rows", cursor_type="row")
            with Horizontal(classes="modal-buttons"):
                yield Button("Preview", id="preview", variant="primary", compact=True)
                yield Button("Import", id="commit", variant="success", disabled=True, compact=True)
                yield Button("Undo this import", id="undo", variant="warning", disabled=True, compact=True)
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.invalid_rows_table.add_columns("Row", "Why it was left out")
        self.first_rows_table.add_columns("Row", "E-mail", "Name", "Organisation")
        self.path_input.focus()

    @on(DirectoryTree.FileSelected, "#file-tree")
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.path_input.value = str(event.path)
        self.show_preview()

    def _list_slug(self) -> str | None:
        chosen = self.query_one("#list")
        return str(chosen.value) if isinstance(chosen, Select) else None

    def _fail(self, step: str, exc: BaseException) -> None:
        self.summary_static.update(f"[red]{step} failed: {escape(one_line_cause(exc))}[/]")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def show_preview(self) -> None:
        """Read and classify the file; nothing is written."""
        path = Path(self.path_input.value.strip()).expanduser()
        try:
            self.preview = preview_import(self.bulletin_app.ctx, path, self._list_slug())
        except EXPECTED_ERRORS as exc:
            self.preview = None
            self.commit_button.disabled = True
            return self._fail("Preview", exc)
        self.query_one(".wizard-box").add_class("-previewed")  # the file tree makes way for the rows read
        self._show_counts(path, self.preview)
        self._show_first_rows(self.preview)
        table = self.invalid_rows_table
        table.clear()
        notes = [*self.preview.invalid, *self.preview.duplicates][:500]
        table.add_rows([plain_row(note.row, note.reason) for note in notes])
        counts = self.preview.counts()
        ready = counts["new"] + counts["updated"]
        commit = self.commit_button
        commit.disabled, commit.label = ready == 0, f"Import {ready:,}"

    def _show_counts(self, path: Path, preview: ImportPreview) -> None:
        counts = preview.counts() | {"joining": preview.joining, "details": len(preview.updated) - preview.joining}
        lines = [f"{counts[key]:>7,}  {words}" for key, words in COUNT_WORDS.items() if counts.get(key)]
        ignored = f"; columns ignored: {escape(', '.join(preview.ignored_columns))}" if preview.ignored_columns else ""
        self.summary_static.update(
            f"[b]{escape(path.name)}[/] → list [b]{preview.list_slug}[/] (nothing saved yet)\n"
            f"Read as {escape(preview.encoding)}, {escape(preview.delimiter)}-separated{ignored}\n" + "\n".join(lines))

    def _show_first_rows(self, preview: ImportPreview) -> None:
        table = self.first_rows_table
        table.clear()
        for row in preview.first_rows:
            values = row.values
            table.add_row(*plain_row(row.number, values.get("email", ""), values.get("name", "")
                                     or " ".join(filter(None, (values.get("first_name"), values.get("last_name")))),
                                     values.get("organisation", "")))

    @on(Button.Pressed, "#commit")
    def commit(self) -> None:
        """Write the previewed changes in one atomic save."""
        if self.preview is None:
            return
        try:
            record = commit_import(self.bulletin_app.ctx, self.preview)
        except EXPECTED_ERRORS as exc:
            return self._fail("Import", exc)
        self.import_id = record.id
        self.commit_button.disabled = True
        self.undo_button.disabled = False
        self.summary_static.update(
            f"[green]Imported {escape(self.preview.file_name)} ({record.id}).[/] Undo restores the previous state "
            "exactly.")
        self.preview = None

    @on(Button.Pressed, "#undo")
    def undo(self) -> None:
        if self.import_id is None:
            return
        try:
            result = undo_import(self.bulletin_app.ctx, self.import_id)
        except EXPECTED_ERRORS as exc:
            return self._fail("Undo", exc)
        self.undo_button.disabled = True
        kept = f"; {len(result.kept_changed)} changed since and kept" if result.kept_changed else ""
        kept += (f"; {len(result.kept_withdrawals)} consent withdrawals kept (undo never re-subscribes)"
                 if result.kept_withdrawals else "")
        self.summary_static.update(
            f"[yellow]Undone: {result.removed} removed, {result.restored} restored{kept}.[/]")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.import_id is not None)
