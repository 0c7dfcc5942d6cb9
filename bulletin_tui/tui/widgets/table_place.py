"""Keeping a table's cursor on the same record when the table is filled again (a reload after any save, ours or
another process's): `DataTable.clear()` puts the cursor on the first row and scrolls to the top."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.widgets import DataTable


@dataclass(frozen=True)
class Place:
    """Where a table's cursor was: on which record, at which row, how far below the first visible row."""

    key: str | None
    row: int
    below_top: int


def place_of(table: DataTable[Any], keys: Sequence[str]) -> Place:
    """The cursor's record (by key) and its position on screen, before the table is cleared."""
    row = table.cursor_row
    key = keys[row] if 0 <= row < len(keys) else None
    return Place(key, row, max(row - round(table.scroll_y), 0))


def restore_place(table: DataTable[Any], place: Place, keys: Sequence[str]) -> None:
    """Put the cursor back on the same record (else on the same row), at the same height on screen."""
    if not keys:
        return
    row = keys.index(place.key) if place.key is not None and place.key in keys else min(place.row, len(keys) - 1)
    if row == table.cursor_row and row == 0 and place.row == 0:
        return
    table.move_cursor(row=row, scroll=False)
    top = max(row - place.below_top, 0)
    table.call_after_refresh(table.scroll_to, y=top, animate=False)
