"""Documents to read and keep: the yearly report rendered (Textual's Markdown: headings, tables, the attendance
chart as bars) and the base of the subject access view. Each saves to a file, offered in the data folder's
exports/ (the one place inside it that outputs may go, and that erasure scans); the services check the path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from ...storage.outputs import EXPORTS
from ..containment import ContainHandlerErrors, on
from ..errors import attempt_call
from .confirm import ConfirmModal, PromptModal

if TYPE_CHECKING:
    from ...services.context import AppContext


class DocumentScreen(ContainHandlerErrors, ModalScreen[None]):
    """A document over the current screen: read it, save it, close it (escape)."""

    DEFAULT_CSS = """
    DocumentScreen { align: center middle; }
    DocumentScreen > .document-box {
        width: 96%; max-width: 140; height: 96%; border: thick $primary; background: $surface; padding: 0 1;
    }
    DocumentScreen .document-body { height: 1fr; border: round $primary 40%; }
    DocumentScreen .document-title { height: auto; margin-bottom: 0; }
    """
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, ctx: AppContext, title: str) -> None:
        super().__init__()
        self.ctx, self.heading = ctx, title

    def compose_box(self, body: ComposeResult, buttons: list[tuple[str, str]]) -> ComposeResult:
        with Vertical(classes="document-box"):
            yield Static(self.heading, classes="modal-title document-title", markup=False)
            yield from body
            with Horizontal(classes="modal-buttons"):
                for label, button_id in buttons:
                    yield Button(label, id=button_id, compact=True)
                yield Button("Close (esc)", id="close", variant="primary", compact=True)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

    def save_as(self, question: str, file_name: str, write: Callable[[Path], Path]) -> None:
        """Ask where (the exports folder first), confirm replacing a file, write through the service, say where."""

        def chosen(answer: str | None) -> None:
            if not answer:
                return
            path = Path(answer).expanduser()
            if not path.exists():
                run(path)
                return
            self.app.push_screen(ConfirmModal(f"{path} exists. Replace it?", confirm_label="Replace", danger=True),
                                 lambda yes: run(path) if yes else None)

        def run(path: Path) -> None:
            written = attempt_call(self, self.ctx.store, "Save", lambda: write(path), writes=False)
            if written is not None:
                self.notify(f"Saved {written}.", title="Saved")

        self.app.push_screen(PromptModal(question, value=str(self.ctx.data_dir / EXPORTS / file_name)), chosen)


class ReportScreen(DocumentScreen):
    """The KCST update for one financial year, as the partnership reads it; s saves Markdown, w a Word document."""

    BINDINGS = [*DocumentScreen.BINDINGS, Binding("s", "save_markdown", "Save as Markdown"),
                Binding("w", "save_word", "Save as Word"), Binding("y", "other_year", "Another year")]

    def __init__(self, ctx: AppContext, label: str, text: str) -> None:
        super().__init__(ctx, f"KCST update for the partnership, {label}")
        self.label, self.text = label, text

    def compose(self) -> ComposeResult:
        body = [VerticalScroll(Markdown(self.text, id="report-text"), classes="document-body", id="report-scroll")]
        yield from self.compose_box(iter(body), [("Save Markdown (s)", "save-markdown"), ("Save Word (w)", "save-word"),
                                                 ("Another year (y)", "other-year")])

    def on_mount(self) -> None:
        self.query_one("#report-scroll").focus()

    @on(Button.Pressed, "#save-markdown")
    def action_save_markdown(self) -> None:
        from ...services.yearly_report.report import report_file_name, write_report_markdown

        self.save_as("Save the report (Markdown) to:", report_file_name(self.label, ".md"),
                     lambda path: write_report_markdown(self.ctx, path, self.label))

    @on(Button.Pressed, "#save-word")
    def action_save_word(self) -> None:
        from ...services.yearly_report.docx import write_report_docx
        from ...services.yearly_report.report import report_file_name

        self.save_as("Save the report (Word, for the agenda pack) to:", report_file_name(self.label, ".docx"),
                     lambda path: write_report_docx(self.ctx, path, self.label))

    @on(Button.Pressed, "#other-year")
    async def action_other_year(self) -> None:
        self.dismiss(None)
        await self.app.run_action("yearly_report")


class TextScreen(DocumentScreen):
    """Lines of plain text to read (the data folder's status)."""

    def __init__(self, ctx: AppContext, title: str, lines: list[str]) -> None:
        super().__init__(ctx, title)
        self.lines = lines

    def compose(self) -> ComposeResult:
        body = [VerticalScroll(Static("\n".join(self.lines), markup=False, id="text-lines"),
                               classes="document-body")]
        yield from self.compose_box(iter(body), [])
