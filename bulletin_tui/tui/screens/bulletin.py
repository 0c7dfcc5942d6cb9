"""The bulletin screen: issues, their items (edit, reorder, backlog), plain-text preview, HTML in a browser, checks."""

from __future__ import annotations

from typing import Any

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static

from ...domain.bulletins import BulletinIssue, BulletinItem
from ...services.bulletins.assembly import add_item, edit_item, issue_items, move_item, remove_item
from ...services.bulletins.issues import create_issue, list_issues, mark_ready, update_issue
from ..campaign_offer import offer_campaigns
from ..containment import on
from ..messages import DataChanged, WorkerFailed
from ..summaries import CheckOutcome, run_checks
from ..widgets.cells import plain_row
from ..widgets.fit_table import Column, FitTable
from ..widgets.key_footer import KeyFooter
from ..widgets.table_place import Place, place_of, restore_place
from .backlog import BacklogModal
from .base import EXPECTED_ERRORS, WorkScreen, one_line_cause
from .confirm import PromptModal
from .issue_form import IssueForm
from .item_form import ItemForm
from .record_form import RecordSaving

ISSUE_COLUMNS = (Column("Issue", width=7), Column("Status", width=6), Column("Items", width=5))
ITEM_COLUMNS = (Column("#", width=2), Column("Section", share=2, least=12, wrap=True),
                Column("Title", share=5, least=16, wrap=True), Column("Closes", width=10, wrap=True))
CHECK_COLUMNS = (Column("", width=1), Column("Finding (enter opens the item)", least=20, wrap=True))
"""The tables' columns (#25): titles and findings wrap in the width there is instead of being cut."""
ISSUE_KEYS, ITEM_KEYS = Binding.Group("New issue/title"), Binding.Group("Add/edit item")
MOVE_KEYS, PREVIEW_KEYS = Binding.Group("Move up/down"), Binding.Group("Preview text/HTML")
"""Footer groups: related keys under one label, so more of the screen's keys fit."""


class BulletinScreen(WorkScreen):
    """Assemble an issue: pick it on the left, work on its items on the right."""

    check_table = getters.query_one("#check-table", DataTable)
    issue_table = getters.query_one("#issue-table", DataTable)
    item_table = getters.query_one("#item-table", DataTable)
    items_title = getters.query_one("#items-title", Static)
    preview_text_static = getters.query_one("#preview-text", Static)

    HELP_TITLE = "Bulletin"
    HELP = ("Pick an issue on the left (tab moves to its items). Items are sent in the order shown; "
            "[ and ] move the highlighted item. Checks list problems: press enter on one to jump to its item. "
            "w offers the awareness campaigns of the issue's month as items.")
    BINDINGS = [
        Binding("n", "new_issue", "New issue", group=ISSUE_KEYS),
        Binding("t", "edit_issue", "Title & intro", group=ISSUE_KEYS),
        Binding("a", "add_item", "Add item", group=ITEM_KEYS),
        Binding("e", "edit_item", "Edit item", group=ITEM_KEYS),
        Binding("left_square_bracket", "move(-1)", "Move up", group=MOVE_KEYS),
        Binding("right_square_bracket", "move(1)", "Move down", group=MOVE_KEYS),
        Binding("d", "remove_item", "To backlog"),
        Binding("b", "backlog", "Backlog"),
        Binding("p", "preview_text", "Text preview", group=PREVIEW_KEYS),
        Binding("o", "open_html", "Open HTML", group=PREVIEW_KEYS),
        Binding("c", "checks", "Checks"),
        Binding("r", "mark_ready", "Mark ready"),
        Binding("w", "offer_campaigns", "Awareness campaigns"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bulletin-body"):
            yield FitTable(ISSUE_COLUMNS, id="issue-table")
            with Vertical(id="issue-detail"):
                yield Static("Items", id="items-title", classes="pane-title")
                yield FitTable(ITEM_COLUMNS, id="item-table", zebra_stripes=True)
                yield Static("Pre-send checks and preview", classes="pane-title")
                yield FitTable(CHECK_COLUMNS, id="check-table")
                with VerticalScroll(id="preview-pane"):
                    yield Static("Press p for the plain-text version, c for the pre-send checks.", id="preview-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.issue_slugs: list[str] = []
        self.items: list[BulletinItem] = []
        self.items_of: str | None = None  # the issue whose items the table shows
        self.checks = CheckOutcome()
        self.select_next: str | None = None  # a just-created issue becomes the selected one on the next reload
        self.select_item_next: str | None = None  # and a just-added item the selected item
        self.issue_table.focus()

    def reload(self) -> None:
        table = self.issue_table
        keep, self.select_next = self.select_next or self.current_slug(), None
        issues = list_issues(self.ctx)
        self.issue_slugs = [issue.slug for issue in issues]
        table.clear()
        table.add_rows([plain_row(i.slug, i.status.value, len(i.item_ids)) for i in issues])
        if keep in self.issue_slugs:
            table.move_cursor(row=self.issue_slugs.index(keep))
        self.show_items()

    def current_slug(self) -> str | None:
        table = self.issue_table
        slugs = getattr(self, "issue_slugs", [])
        return slugs[table.cursor_row] if slugs and 0 <= table.cursor_row < len(slugs) else None

    def current_item(self) -> BulletinItem | None:
        row = self.item_table.cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    @on(DataTable.RowHighlighted, "#issue-table")
    def show_items(self) -> None:
        slug, table = self.current_slug(), self.item_table
        same = slug is not None and slug == self.items_of  # a reload: the cursor stays on the same item
        place = place_of(table, [item.id for item in self.items] if same else [])
        if self.select_item_next is not None:
            place, self.select_item_next = Place(self.select_item_next, 0, 0), None
        self.items_of, self.items = slug, issue_items(self.ctx, slug) if slug else []
        table.clear()
        today = self.ctx.clock.now().date()
        for number, item in enumerate(self.items, 1):
            closes = f"{item.closing_date:%d/%m/%Y}" if item.closing_date else ""
            if item.closing_date and item.closing_date < today:
                closes += " (past)"
            title = f"[restricted] {item.title}" if item.restricted else item.title
            table.add_row(*plain_row(number, item.category.heading, title, closes))
        restore_place(table, place, [item.id for item in self.items])
        self.items_title.update(f"Items of {slug}" if slug else "No issue selected")

    def action_new_issue(self) -> None:
        suggestion = f"{self.ctx.clock.now():%Y-%m}"
        self.app.push_screen(PromptModal("Slug of the new issue (e.g. 2026-12):", value=suggestion), self._create)

    def _create(self, slug: str | None) -> None:
        created = self.attempt("New issue", lambda: create_issue(self.ctx, slug)) if slug else None
        if created:
            self.select_next = created.slug
            self.notify(f"Created issue {created.slug}; it is now selected.")
            self.post_message(DataChanged("issues"))
            offer_campaigns(self, created.slug, quiet=True)

    def action_offer_campaigns(self) -> None:
        """The awareness campaigns of the issue's month, to add as items."""
        slug = self.current_slug()
        if slug:
            offer_campaigns(self, slug)

    def action_edit_issue(self) -> None:
        slug = self.current_slug()
        if slug and self.still_there(self.ctx.store.issues, slug, "issue"):
            saving: RecordSaving[dict[str, str], BulletinIssue] = RecordSaving(
                self.ctx.store, self.ctx.store.issues, slug, noun="issue",
                update=lambda fields: update_issue(self.ctx, slug, **fields),
                create=lambda fields: create_issue(self.ctx, slug, title=fields["title"], intro=fields["intro"]))
            self.app.push_screen(IssueForm(saving), self._issue_saved)

    def _issue_saved(self, issue: BulletinIssue | None) -> None:
        if issue is not None:
            self.notify(f"Saved the title and introduction of {issue.slug}.")
            self.post_message(DataChanged("issues"))

    def _item_saving(self, item_id: str | None, slug: str | None) -> RecordSaving[dict[str, Any], BulletinItem]:
        """How the item form saves: an edit of `item_id`, or a new item in `slug` (also "save mine as new" after
        someone else removed the item being edited)."""
        return RecordSaving(
            self.ctx.store, self.ctx.store.items, item_id, noun="item",
            update=(lambda fields: edit_item(self.ctx, item_id, **fields)) if item_id else None,
            create=lambda fields: add_item(self.ctx, slug, **fields))

    def action_add_item(self) -> None:
        slug = self.current_slug()
        if slug:
            self.app.push_screen(ItemForm(self._item_saving(None, slug)),
                                 lambda item: self._item_saved(item, added_to=slug))

    def action_edit_item(self, item_id: str | None = None, field: str | None = None) -> None:
        """Edit the highlighted item (or `item_id`), starting in its first field (or in `field`)."""
        found = item_id or (item.id if (item := self.current_item()) else None)
        if found and self.still_there(self.ctx.store.items, found, "item"):
            self.app.push_screen(ItemForm(self._item_saving(found, self.current_slug()), field=field),
                                 self._item_saved)

    @on(DataTable.RowSelected, "#item-table")
    def _edit_selected(self) -> None:
        self.action_edit_item()

    def _item_saved(self, item: BulletinItem | None, added_to: str = "") -> None:
        if item is not None:
            if added_to:
                self.select_item_next = item.id
            self.notify(f"Added “{item.title}” to {added_to}; it is now selected." if added_to
                        else f"Saved “{item.title}”.")
            self.post_message(DataChanged("items"))
            if self.checks.findings or self.checks.unavailable:  # the list shown would be stale: check again
                self.call_after_refresh(self.action_checks)

    def action_move(self, step: int) -> None:
        slug, item = self.current_slug(), self.current_item()
        if not slug or item is None:
            return
        position = self.items.index(item) + 1 + step
        if self.attempt("Move", lambda: move_item(self.ctx, slug, item.id, position)):
            self.show_items()
            self.item_table.move_cursor(row=min(max(position - 1, 0), len(self.items) - 1))

    def action_remove_item(self) -> None:
        slug, item = self.current_slug(), self.current_item()
        if slug and item and self.attempt("Remove", lambda: remove_item(self.ctx, slug, item.id)):
            self.notify(f"Moved “{item.title}” back to the backlog.")
            self.post_message(DataChanged("items"))

    def action_backlog(self) -> None:
        slug = self.current_slug()
        if slug:
            self.app.push_screen(BacklogModal(slug), self._backlog_closed)

    def _backlog_closed(self, added: bool | None) -> None:
        if added:
            self.post_message(DataChanged("items"))

    def action_checks(self) -> None:
        slug = self.current_slug()
        if not slug:
            return
        self.checks = run_checks(self.ctx, slug)
        table = self.check_table
        table.clear()
        for finding in self.checks.findings:
            mark = "✘" if finding.severity == "error" else "!"
            table.add_row(*plain_row(mark, finding.short))
        self.preview_text_static.update(f"Pre-send checks for {slug}: {self.checks.summary()}.")
        if self.checks.findings:
            table.focus()

    def action_mark_ready(self) -> None:
        """Ready to send once the checks pass (the send screen still asks before anything leaves)."""
        slug = self.current_slug()
        if slug and self.attempt("Mark ready", lambda: mark_ready(self.ctx, slug)):
            self.notify(f"{slug} is ready to send.")
            self.post_message(DataChanged("issues"))

    @on(DataTable.RowHighlighted, "#check-table")
    def show_whole_finding(self, event: DataTable.RowHighlighted) -> None:
        """The table cuts long findings to its width; the pane below shows the highlighted one in full, wrapped."""
        from rich.text import Text

        if 0 <= event.cursor_row < len(self.checks.findings):
            finding = self.checks.findings[event.cursor_row]
            self.preview_text_static.update(
                Text(f"{self.checks.summary().capitalize()}.\n\n{finding.severity}: {finding.message}\n\n"
                     "Enter opens the item."))

    @on(DataTable.RowSelected, "#check-table")
    def jump_to_problem(self, event: DataTable.RowSelected) -> None:
        """Enter on a finding opens the item it is about, in the field it is about (the link for "has no link")."""
        finding = self.checks.findings[event.cursor_row] if event.cursor_row < len(self.checks.findings) else None
        if finding and finding.item_id:
            ids = [item.id for item in self.items]
            if finding.item_id in ids:
                self.item_table.move_cursor(row=ids.index(finding.item_id))
            self.action_edit_item(finding.item_id, finding.field)

    def action_preview_text(self) -> None:
        slug = self.current_slug()
        if slug:
            self.preview_text_static.update(f"Rendering {slug}…")
            self.render_issue(slug, open_html=False)

    def action_open_html(self) -> None:
        slug = self.current_slug()
        if slug:
            self.render_issue(slug, open_html=True)

    @work(thread=True, exclusive=True, group="render", exit_on_error=False, description="Render")
    def render_issue(self, slug: str, open_html: bool) -> None:
        """Render (and inline, once) in a thread; the text goes to the preview, the HTML to a browser."""
        from ...rendering import substitute
        from ...services.bulletins.prepare import prepare_issue
        from ...services.bulletins.render import sample_values

        try:
            prepared = prepare_issue(self.ctx, slug)
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("Render", one_line_cause(exc)))
            return
        if open_html:
            self.app.call_from_thread(self._open_in_browser, slug, prepared.archive_html)
        else:  # personalised for the sample reader, with the unsubscribe link a real send would carry
            text = substitute(prepared.text, sample_values(self.ctx, prepared)[1])
            self.app.call_from_thread(self._show_text, text, prepared.html_bytes)

    def _show_text(self, text: str, html_bytes: int) -> None:
        from rich.text import Text

        header = f"Plain-text version ({html_bytes / 1024:.0f} KB of inlined HTML)\n\n"
        self.preview_text_static.update(Text(header + text))

    def _open_in_browser(self, slug: str, html: str) -> None:
        import webbrowser

        from ...storage.atomic import atomic_write_bytes

        folder = self.ctx.data_dir / "previews"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{slug}.html"
        atomic_write_bytes(path, html.encode("utf-8"))  # 0600, like everything in the data folder
        opened = webbrowser.open(path.as_uri())
        self.notify(f"Opened {path}" if opened else f"Saved {path} (no browser found to open it)")
