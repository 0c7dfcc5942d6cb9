"""The Inbox: what came back to the team mailbox, the review queue with one-key actions, and fetch now."""

from __future__ import annotations

import asyncio
from datetime import datetime

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.errors import DomainError
from ...domain.times import LONDON
from ...services.inbox.accept import accept, draft_for
from ...services.inbox.fetch import FetchReport, InboxPass
from ...services.inbox.records import InboxMessage, kind_counts
from ...services.inbox.review import cancel_sender, dismiss, register_sender, review_queue
from ...services.inbox.undo import action_log, undo
from ..containment import ContainHandlerErrors, on
from ..messages import DataChanged
from ..widgets.cells import plain_row
from ..widgets.fit_table import Column, FitTable
from ..widgets.key_footer import KeyFooter
from ..widgets.table_place import place_of, restore_place
from .base import WorkScreen
from .confirm import ConfirmModal
from .draft_preview import preview_text
from .session_dates import register_targets


class SessionPicker(ContainHandlerErrors, ModalScreen[str | None]):
    """Choose an upcoming session; dismisses with its slug, or None."""

    session_choice = getters.query_one("#session-choice", OptionList)

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: list[tuple[str, str]], suggested: str = "") -> None:
        super().__init__()
        self.choices, self.suggested = choices, suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static("Register the sender for which session? (enter chooses, escape cancels)",
                         classes="modal-title")
            yield OptionList(*(Option(label, id=slug) for slug, label in self.choices), id="session-choice")

    def on_mount(self) -> None:
        options = self.session_choice
        slugs = [slug for slug, _ in self.choices]
        if self.suggested in slugs:
            options.highlighted = slugs.index(self.suggested)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


REVIEW_COLUMNS = (Column("Received", width=10), Column("From", share=3, elide=True), Column("Subject", share=4),
                  Column("Kind", share=1), Column("Session", share=2))
LOG_COLUMNS = (Column("Id", width=4), Column("When", width=10), Column("Change", share=2),
               Column("Person", share=3, elide=True), Column("Detail", share=4))
"""Shares of the width (#25): every column in view at 80 columns, addresses cut in the middle."""


def short_date(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%d/%m/%Y}"


class InboxScreen(WorkScreen):
    """Counts by kind, the review queue, the log of automatic changes."""

    draft_preview_static = getters.query_one("#draft-preview", Static)
    inbox_log_table = getters.query_one("#inbox-log", DataTable)
    inbox_summary = getters.query_one("#inbox-summary", Static)
    review_table = getters.query_one("#review-table", DataTable)

    HELP_TITLE = "Inbox"
    HELP = ("Bounces, calendar replies, complaints and unsubscribes from the team mailbox are applied by `f` (or "
            "`bulletin-tui inbox fetch` from cron). What a machine cannot decide waits below: `r` registers the "
            "sender for a session, `c` gives up the place a cancellation e-mail asks to cancel, `d` dismisses. "
            "An e-mail from a known partner is a draft item, shown under the queue: `a` accepts it into the "
            "backlog, `n` into the next issue, `k` into the backlog keeping its attachments (read back from the "
            "mailbox). In the log, `u` undoes a change (an unsubscribe e-mail too; not a complaint).")
    BINDINGS = [
        Binding("f", "fetch", "Fetch now"),
        Binding("r", "register", "Register sender"),
        Binding("c", "cancel_place", "Cancel their place"),
        Binding("d", "dismiss_message", "Dismiss"),
        Binding("a", "accept_draft", "Accept item"),
        Binding("n", "accept_draft_next", "Into next issue"),
        Binding("k", "accept_keeping", "Accept + keep files"),
        Binding("u", "undo", "Undo change"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="inbox-body"):
            yield Static(id="inbox-summary", classes="panel", markup=False)
            yield FitTable(REVIEW_COLUMNS, id="review-table")
            yield Static(id="draft-preview", classes="panel", markup=False)
            yield FitTable(LOG_COLUMNS, id="inbox-log")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.inbox_summary.border_title = "Team mailbox"
        self.review_table.border_title = "Waiting for review"
        self.draft_preview_static.border_title = "Selected message"
        self.inbox_log_table.border_title = "Changes made (newest first)"
        self.fetching = False
        self.last_fetch = ""

    def reload(self) -> None:
        review, log = self.review_table, self.inbox_log_table
        review_place = place_of(review, [m.key for m in getattr(self, "queue", [])])
        log_place = place_of(log, [str(e.id) for e in getattr(self, "changes", [])])
        self.queue = review_queue(self.ctx)
        self.changes = action_log(self.ctx)[:200]
        kinds = kind_counts(self.ctx)
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "nothing fetched yet"
        where = self.ctx.settings.imap.host or "no IMAP server set (imap.host)"
        status = "fetching…" if self.fetching else self.last_fetch
        self.inbox_summary.update(
            f"{where} · {self.ctx.settings.imap.folder}\nAll time: {counts}\n"
            f"{len(self.queue)} waiting for review{' · ' + status if status else ''}")
        review.clear()
        for message in self.queue:
            review.add_row(*plain_row(short_date(message.received_at), message.sender or "-", message.subject[:60],
                                      message.kind, message.suggestion or "-"))
        log.clear()
        for entry in self.changes:
            detail = entry.detail + (" (undone)" if entry.undone_at else "")
            log.add_row(*plain_row(entry.id, short_date(entry.at), entry.action, entry.person or "-", detail))
        restore_place(review, review_place, [m.key for m in self.queue])  # the same message and change stay chosen
        restore_place(log, log_place, [str(e.id) for e in self.changes])
        self._show_preview()

    @on(DataTable.RowHighlighted, "#review-table")
    def _show_preview(self) -> None:
        row = self.review_table.cursor_row
        message = self.queue[row] if 0 <= row < len(getattr(self, "queue", [])) else None
        self.draft_preview_static.update(preview_text(self.ctx, message))

    def action_accept_draft(self, to_next: bool = False) -> None:
        message = self._selected()
        if message is None:
            return
        done = self.attempt("Accept", lambda: accept(self.ctx, message.key, to_next=to_next))
        if done is not None:
            where = f"issue {done.issue}" if done.issue else "the backlog"
            self.notify(f"{done.item.title} is now item {done.item.id} in {where}.", title="Draft accepted")
            self.post_message(DataChanged("all"))

    def action_accept_draft_next(self) -> None:
        self.action_accept_draft(to_next=True)

    def action_accept_keeping(self) -> None:
        message = self._selected()
        if message is None:
            return
        found = self.attempt("Accept", lambda: draft_for(self.ctx, message.key), writes=False)
        if found is not None and not found[1].attachments:
            self.notify("This draft has no attachments; `a` accepts it.", severity="warning")
        elif found is not None:
            self.keep_and_accept(message.key)

    @work(exclusive=True, group="inbox-keep", exit_on_error=False, description="Read the original back")
    async def keep_and_accept(self, key: str) -> None:
        """The original from the mailbox in a worker thread; the item and its files written here."""
        from ...services.inbox.original import fetch_original

        try:
            original = await asyncio.to_thread(fetch_original, self.ctx, key)
        except (DomainError, OSError) as exc:
            self.notify(str(exc), title="Attachments not kept", severity="error")
            return
        done = self.attempt("Accept", lambda: accept(self.ctx, key, original=original))
        if done is not None:
            self.notify(f"{done.item.title} is now item {done.item.id} in the backlog, with {len(done.kept)} "
                        "attachment(s) kept.", title="Draft accepted")
            self.post_message(DataChanged("all"))

    def _selected(self) -> InboxMessage | None:
        table = self.review_table
        if not self.queue or table.cursor_row < 0 or table.cursor_row >= len(self.queue):
            self.notify("No message selected in the review queue.", severity="warning")
            return None
        return self.queue[table.cursor_row]

    def action_fetch(self) -> None:
        if self.ctx.store.read_only:
            why = self.ctx.store.db.read_only_reason or "this data folder was opened read-only"
            self.notify(f"Read-only: {why}.", severity="warning")
            return
        if not self.ctx.settings.imap.host:
            self.notify("Set imap.host (and how to sign in) in the settings first; "
                        "`bulletin-tui mail check` tests them.",
                        title="No mailbox configured", severity="warning")
            return
        self.fetching = True
        self.reload()
        self.fetch_now()

    @work(exclusive=True, group="inbox-fetch", exit_on_error=False, description="Fetch the mailbox")
    async def fetch_now(self) -> None:
        """IMAP in a worker thread; each batch's database write here, on the app's thread."""
        from ...services.inbox.connect import folders, open_mailbox

        try:
            client = await asyncio.to_thread(open_mailbox, self.ctx)
            try:
                one_pass = await asyncio.to_thread(
                    InboxPass, self.ctx, client, folders(self.ctx), trust_sender=self.ctx.settings.imap.trust_sender)
                for uids in await asyncio.to_thread(one_pass.batches):
                    handled = one_pass.apply(await asyncio.to_thread(one_pass.read, uids))
                    await asyncio.to_thread(one_pass.file, handled)
                report = one_pass.finish()
            finally:
                await asyncio.to_thread(client.logout)
        finally:
            self.fetching = False
        self._fetched(report)

    def _fetched(self, report: FetchReport) -> None:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts().items())) or "nothing new"
        self.last_fetch = f"last fetch: {len(report.handled)} message(s) ({counts})"
        self.notify(self.last_fetch, title="Mailbox fetched")
        self.post_message(DataChanged("inbox"))

    def action_register(self) -> None:
        message = self._selected()
        if message is None:
            return
        choices = register_targets(self.ctx.store.sessions, self.ctx.clock.now())  # each date of a multi-date one
        if not choices:
            self.notify("There is no upcoming session to register for.", severity="warning")
            return

        def chosen(target: str | None) -> None:
            if target:
                slug, _, date = target.partition("/")
                done = self.attempt("Register", lambda: register_sender(self.ctx, message.key, slug,
                                                                        occurrence=date or None))
                if done is not None:
                    self.notify(f"{message.sender}: {done.detail}", title="Registered")
                    self.post_message(DataChanged("registrations"))

        suggested = next((value for value, _ in choices if value.partition("/")[0] == message.suggestion), "")
        self.app.push_screen(SessionPicker(choices, suggested), chosen)

    def action_cancel_place(self) -> None:
        message = self._selected()
        if message is None:
            return
        if not message.suggestion or message.kind != "cancellation request":
            self.notify("This message is not a cancellation of a place anyone holds.", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                done = self.attempt("Cancel", lambda: cancel_sender(self.ctx, message.key))
                if done is not None:
                    self.notify(f"{message.sender}: {done.detail}", title="Place given up")
                    self.post_message(DataChanged("registrations"))

        self.app.push_screen(ConfirmModal(f"Cancel {message.sender}'s place in {message.suggestion}? The waiting "
                                          "list moves up and they get the usual notice.",
                                          confirm_label="Cancel their place", danger=True), confirmed)

    def action_dismiss_message(self) -> None:
        message = self._selected()
        if message is not None and self.attempt("Dismiss", lambda: dismiss(self.ctx, message.key)) is not None:
            self.post_message(DataChanged("inbox"))

    def action_undo(self) -> None:
        table = self.inbox_log_table
        if not self.changes or not 0 <= table.cursor_row < len(self.changes):
            self.notify("No change selected in the log.", severity="warning")
            return
        entry = self.changes[table.cursor_row]

        def confirmed(yes: bool | None) -> None:
            if yes:
                done = self.attempt("Undo", lambda: undo(self.ctx, entry.id))
                if done is not None:
                    self.notify(done, title=f"{entry.id} undone")
                    self.post_message(DataChanged("all"))

        self.app.push_screen(ConfirmModal(f"Undo {entry.id} ({entry.action}: {entry.detail})?",
                                          confirm_label="Undo"), confirmed)
