"""Table cells from user data: plain text, never parsed as markup (names may contain `[`); titles that wrap and
addresses cut in the middle for tables that fit the terminal.

Rich `Text`, not Textual `Content`: DataTable sizes auto-width columns with Rich's measure protocol, which
`Content` does not implement (every column then shrank to its header: "Title" showed five letters)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text


def plain(value: object) -> Text:
    """A cell showing the value's text exactly as written."""
    return Text("" if value is None else str(value), no_wrap=True, overflow="ellipsis")


def plain_row(*values: object) -> tuple[Text, ...]:
    return tuple(plain(value) for value in values)


def elide_middle(text: str, width: int) -> str:
    """`text` in `width` cells, cut in the middle: an address keeps its domain (`aisha.fic…@fire.example.org`)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    at = text.rfind("@")
    if at > 0 and width - 1 - (len(text) - at) >= min(max(6, (width - 1) // 3), at):  # enough of the name left
        tail = len(text) - at
        return text[: width - 1 - tail] + "…" + text[at:]
    head = width // 2
    tail = width - 1 - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


class Elided:
    """A cell cut in the middle to whatever width its column gets (see `elide_middle`)."""

    def __init__(self, value: object, style: str = "") -> None:
        self.text = "" if value is None else str(value)
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(8, cell_len(self.text)), cell_len(self.text))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(elide_middle(self.text, options.max_width), style=self.style, no_wrap=True, overflow="crop")

    def __str__(self) -> str:
        return self.text
