"""Tables of records that fit the terminal (#25): columns share the width and are fitted again when it changes,
long titles wrap onto more lines instead of being cut, addresses are cut in the middle (keeping the domain), and
home/end go to the first and last row (Textual's table scrolls sideways on those keys).

Screens fill a FitTable as any DataTable (`clear()`, `add_row(...)`); the columns come from its `Column` list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey

from .cells import Elided

CELL_PADDING = 1
"""DataTable's default space either side of each cell."""


@dataclass(frozen=True)
class Column:
    """A column: `width` cells, or (width 0) a `share` of what the fixed ones leave, never under `least`. `wrap`:
    long text goes on in the row's next lines; `elide`: text is cut in the middle (addresses)."""

    label: str
    width: int = 0
    share: int = 1
    least: int = 6
    wrap: bool = False
    elide: bool = False


def column_widths(columns: Sequence[Column], space: int) -> list[int]:
    """Each column's width in `space` cells (the cells' padding taken off first)."""
    left = space - sum(c.width for c in columns) - 2 * CELL_PADDING * len(columns)
    shares = sum(c.share for c in columns if not c.width)
    widths = [c.width or max(c.least, left * c.share // shares if shares else c.least) for c in columns]
    spare = left - sum(w for w, c in zip(widths, columns, strict=True) if not c.width)
    growing = [n for n, c in enumerate(columns) if not c.width]
    if growing and spare > 0:
        widths[growing[0]] += spare  # rounding: the first shared column takes the odd cells
    return widths


class FitTable(DataTable[Any]):
    """A row-cursor table whose columns fit its width; rows with a wrapping column grow to show it whole."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]
    DEFAULT_CSS = """
    FitTable {
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, columns: Sequence[Column], *, id: str | None = None, zebra_stripes: bool = False,
                 label_width: int = 0) -> None:
        """`label_width`: room for row labels (e.g. a section's name on its first row) left of the columns."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes, cell_padding=CELL_PADDING)
        self.show_row_labels = bool(label_width)
        self.spec = list(columns)
        self.label_width = label_width
        self._widths: list[int] = []

    @property
    def tall(self) -> bool:
        return any(column.wrap for column in self.spec)

    def set_spec(self, columns: Sequence[Column]) -> None:
        """Other columns (e.g. a Date column for a session on several dates), from the next `clear()`."""
        if list(columns) != self.spec:
            self.spec, self._widths = list(columns), []

    def _fitted(self) -> list[int]:
        labels = self.label_width + 2 * CELL_PADDING if self.label_width else 0
        return column_widths(self.spec, self.scrollable_content_region.width - labels)

    def clear(self, columns: bool = False) -> FitTable:
        """Empty the table; the columns are (re)made when the width or the spec changed."""
        widths = self._fitted()
        super().clear(columns=columns or widths != self._widths)
        if not self.columns:
            for column, width in zip(self.spec, widths, strict=True):
                super().add_column(column.label, width=width)
            self._widths = widths
        return self

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: str | Text | None = None) -> RowKey:
        if not self.columns:
            self.clear()
        shaped = [_shaped(cell, column) for cell, column in zip(cells, self.spec, strict=False)]
        return super().add_row(*shaped, *cells[len(shaped):], height=None if self.tall else height, key=key,
                               label=label)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width, keeping the rows, the cursor and the scroll position."""
        if not self._widths or self._fitted() == self._widths:
            return
        rows = [(self.get_row_at(n), self.ordered_rows[n].label) for n in range(self.row_count)]
        row, top = self.cursor_row, round(self.scroll_y)
        self.clear()
        for cells, label in rows:
            self.add_row(*cells, label=label)
        if rows:
            self.move_cursor(row=min(row, len(rows) - 1), scroll=False)
            self.call_after_refresh(self.scroll_to, y=top, animate=False)


def _shaped(cell: Any, column: Column) -> Any:
    """A cell as its column shows it: wrapping text, or cut in the middle."""
    if column.elide and isinstance(cell, str | Text):
        return Elided(cell.plain if isinstance(cell, Text) else cell,
                      str(cell.style) if isinstance(cell, Text) else "")
    if column.wrap and isinstance(cell, Text):
        shown = cell.copy()
        shown.no_wrap, shown.overflow = False, "fold"
        return shown
    if column.wrap and isinstance(cell, str):
        return Text(cell, overflow="fold")
    return cell
