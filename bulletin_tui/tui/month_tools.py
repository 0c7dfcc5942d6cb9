"""The month's tools the CLI has, in the app: yearly report, subject access and erasure, the personal-data audit,
lists, undoing an import, exporting a campaign's ledger. Each asks in modals, calls the same service as the CLI, and
confirms first when the step cannot be undone. Reachable from the command palette on every screen, and by key where
they belong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..domain.times import financial_year_of
from .errors import attempt_call
from .messages import DataChanged
from .screens.confirm import ConfirmModal, PromptModal
from .screens.pick import PickModal
from .year_tools import YEAR_TOOLS, YearTools

if TYPE_CHECKING:
    from textual.app import App

    from ..services.context import AppContext

    _AppBase = App[None]
else:
    _AppBase = object

T = TypeVar("T")

# (action, palette title, what it does) for every tool; the palette lists them on every screen.
TOOLS = [
    ("yearly_report", "Yearly report", "The KCST update for the partnership (April-March): view and save"),
    ("subject_access", "Subject access: everything held about a person", "Show and save one person's data"),
    ("erase_person", "Erase a person", "Remove one person everywhere (asks first; cannot be undone)"),
    ("privacy_audit", "Personal data audit", "Every place personal data lives: counts, oldest, who covers it"),
    ("new_list", "New distribution list", "Create a list"),
    ("rename_list", "Rename a distribution list", "Change a list's name (its slug stays)"),
    ("undo_import", "Undo an import", "Put back what an earlier subscriber import changed (asks first)"),
    ("export_ledger", "Export a mailing's ledger", "Write every send record of a mailing to a CSV file"),
    ("seed_calendar", "Awareness calendar: add the usual campaigns",
     "Hate Crime Awareness Week, 16 Days of Action, Dry January... from the source papers (edits are kept)"),
]


TOOLS += YEAR_TOOLS  # publish, reminders, partners, the awareness calendar, restore, status (year_tools.py)


class MonthTools(YearTools, _AppBase):
    """Mixed into the app: one `action_*` per tool."""

    ctx: AppContext

    def _tool(self, action: str, call: Callable[[], T], *, writes: bool = True) -> T | None:
        """Run one service call; refusal (read-only) or failure becomes a notification. None if it did not run."""
        return attempt_call(self, self.ctx.store, action, call, writes=writes)

    def _ask_for_file(self, question: str, suggested: str, then: Callable[[Path], None]) -> None:
        """A path; replacing an existing file is confirmed first."""
        def chosen(answer: str | None) -> None:
            if not answer:
                return
            path = Path(answer).expanduser()
            if not path.exists():
                then(path)
                return
            self.push_screen(ConfirmModal(f"{path} exists. Replace it?", confirm_label="Replace", danger=True),
                             lambda yes: then(path) if yes else None)

        self.push_screen(PromptModal(question, value=str(Path.cwd() / suggested)), chosen)

    def action_yearly_report(self, year: str | None = None) -> None:
        """Ask for the financial year, then show the report rendered (s saves Markdown, w a Word document)."""
        from ..services.yearly_report.report import build_report
        from .screens.documents import ReportScreen

        def show(label: str | None) -> None:
            chosen = label or financial_year_of(self.ctx.clock.now().date())
            text = self._tool("Yearly report", lambda: build_report(self.ctx, chosen), writes=False)
            if text is not None:
                self.push_screen(ReportScreen(self.ctx, chosen, text))

        if year is not None:
            show(year)
            return
        this_year = financial_year_of(self.ctx.clock.now().date())
        self.push_screen(PromptModal("Financial year (April to March):", value=this_year), show)

    def action_subject_access(self, email: str = "") -> None:
        """Everything held about one person, place by place (s saves the JSON answer)."""
        from ..services.privacy.subject_view import subject_access_view
        from .screens.subject_view import SubjectAccessScreen

        def show(address: str | None) -> None:
            view = self._tool("Subject access", lambda: subject_access_view(self.ctx, address or ""), writes=False) \
                if address else None
            if view is not None:
                self.push_screen(SubjectAccessScreen(self.ctx, view))

        self.push_screen(PromptModal("E-mail address of the person:", value=email), show)

    def action_erase_person(self, email: str = "") -> None:
        """Erase one person after a confirmation naming them."""
        from ..services.privacy.subject import erase

        def confirm(address: str | None) -> None:
            if address:
                question = (f"Erase {address} everywhere (subscriber record, registrations, ledgers, outbox)? "
                            "Only a suppression code is kept so they are never mailed again. This cannot be undone.")
                self.push_screen(ConfirmModal(question, confirm_label="Erase", danger=True),
                                 lambda yes: run(address) if yes else None)

        def run(address: str) -> None:
            report = self._tool("Erase", lambda: erase(self.ctx, address))
            if report is not None:
                self.notify(f"Erased {address}: {report.registrations} registration(s), "
                            f"{report.outbox_messages} outbox message(s).", title="Erased")
                self.post_message(DataChanged("subscribers"))

        self.push_screen(PromptModal("E-mail address of the person to erase:", value=email), confirm)

    def action_privacy_audit(self) -> None:
        """The personal-data audit as a table (the same service as `privacy audit`)."""
        from ..services.privacy.audit import privacy_audit
        from .screens.privacy_audit import PrivacyAuditModal

        rows = self._tool("Personal data audit", lambda: privacy_audit(self.ctx), writes=False)
        if rows is not None:
            self.push_screen(PrivacyAuditModal(rows))

    def action_new_list(self) -> None:
        """Slug, then name, then the list exists."""
        from ..services.subscribers.lists import add_list

        def named(slug: str, name: str | None) -> None:
            if name and self._tool("New list", lambda: add_list(self.ctx, slug, name)) is not None:
                self.notify(f"Created list {slug}: {name}.")
                self.post_message(DataChanged("lists"))

        def slugged(slug: str | None) -> None:
            if slug:
                self.push_screen(PromptModal(f"Name of list {slug}:"), lambda name: named(slug, name))

        self.push_screen(PromptModal("Short name (slug) of the new list, e.g. dhr-webinars:"), slugged)

    def action_rename_list(self) -> None:
        """Pick a list, type its new name."""
        from ..services.subscribers.lists import all_lists, rename_list

        found = {d.slug: d for d in all_lists(self.ctx)}
        if not found:
            self.notify("There are no lists yet.", severity="warning")
            return

        def renamed(slug: str, name: str | None) -> None:
            if name and self._tool("Rename list", lambda: rename_list(self.ctx, slug, name)) is not None:
                self.notify(f"List {slug} is now called {name}.")
                self.post_message(DataChanged("lists"))

        def picked(slug: str | None) -> None:
            if slug:
                self.push_screen(PromptModal(f"New name for {slug}:", value=found[slug].name),
                                 lambda name: renamed(slug, name))

        self.push_screen(PickModal("Which list?", [(f"{d.name} ({d.slug})", d.slug) for d in found.values()]),
                         picked)

    def action_undo_import(self) -> None:
        """Pick an import that is not undone yet; confirm; undo."""
        from ..services.subscribers.import_commit import list_imports, undo_import

        open_imports = [r for r in reversed(list_imports(self.ctx)) if r.undone_at is None]
        if not open_imports:
            self.notify("No import can be undone.", severity="warning")
            return

        def run(import_id: str) -> None:
            result = self._tool("Undo import", lambda: undo_import(self.ctx, import_id))
            if result is not None:
                kept = f"; {len(result.kept_changed)} changed since and kept" if result.kept_changed else ""
                self.notify(f"Undid {import_id}: {result.removed} removed, {result.restored} restored{kept}.")
                self.post_message(DataChanged("subscribers"))

        def picked(import_id: str | None) -> None:
            if import_id:
                question = (f"Undo {import_id}? People it added are removed and people it changed get their "
                            "earlier details back (anyone changed since is kept as they are).")
                self.push_screen(ConfirmModal(question, confirm_label="Undo import", danger=True),
                                 lambda yes: run(import_id) if yes else None)

        choices = [(f"{r.at:%d/%m/%Y %H:%M}  {r.file_name} → {r.list_slug}  ({r.id})", r.id) for r in open_imports]
        self.push_screen(PickModal("Which import?", choices), picked)

    def action_export_ledger(self) -> None:
        """Pick a mailing; write its ledger as CSV."""
        from ..services.mailings.runs import export_csv, list_campaigns

        campaigns = list_campaigns(self.ctx)
        if not campaigns:
            self.notify("Nothing has been sent yet.", severity="warning")
            return

        def write(campaign_id: str, path: Path) -> None:
            rows = self._tool("Export ledger", lambda: export_csv(self.ctx, campaign_id, path), writes=False)
            if rows is not None:
                self.notify(f"Wrote {rows} record(s) of {campaign_id} to {path}.")

        def picked(campaign_id: str | None) -> None:
            if campaign_id:
                self._ask_for_file("Write the ledger to this CSV file:", f"{campaign_id}-ledger.csv",
                                   lambda path: write(campaign_id, path))

        choices = [(f"{c.campaign_id}  ({', '.join(f'{n} {s}' for s, n in c.counts.items())})", c.campaign_id)
                   for c in campaigns]
        self.push_screen(PickModal("Which mailing?", choices), picked)

    def action_seed_calendar(self) -> None:
        """Add the source papers' awareness campaigns that are not in the calendar yet (the team's edits stay)."""
        from ..services.awareness.seed import seed_campaigns

        report = self._tool("Awareness calendar", lambda: seed_campaigns(self.ctx))
        if report is not None:
            added = ", ".join(report.added) if report.added else "none: every usual campaign is there already"
            self.notify(f"Awareness campaigns added: {added}.")
            self.post_message(DataChanged("all"))
