"""A questionnaire export as a header and numbered rows: CSV (any encoding, delimiter) or XLSX (first sheet)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...domain.errors import DomainError
from ..subscribers.csvread import DELIMITERS, read_text

Cell = Any  # str from CSV; str, int, float, datetime or None from XLSX


@dataclass(frozen=True)
class Sheet:
    """The header cells and the non-blank data rows, each with its spreadsheet row number (header = 1)."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]

    def column_letter(self, index: int) -> str:
        letters, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(65 + rest) + letters
        return letters

    def values(self, index: int) -> list[str]:
        """The column's non-blank cells as text (for guessing its role and scale)."""
        return [text for _, cells in self.rows if (text := cell_text(cells, index))]


def cell_text(cells: list[Cell], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(path: Path) -> Sheet:
    """Read an export; DomainError naming the file when it cannot be read or has no header row."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise DomainError(f"{path.name}: a {suffix} workbook cannot be read; save it as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm"):
        header, body = _xlsx_table(path)
    else:
        header, body = _csv_table(path)
    if not any(str(h or "").strip() for h in header):
        raise DomainError(f"{path.name}: the file is empty (no header row)")
    rows = [(number, cells) for number, cells in body if any(cell_text(cells, i) for i in range(len(cells)))]
    return Sheet(path.name, _unique([str(h or "").strip() for h in header]), rows)


def _unique(header: list[str]) -> list[str]:
    """Header cells made distinct (two questions with the same text: `Text`, `Text (2)`), blanks kept blank."""
    seen: dict[str, int] = {}
    unique = []
    for cell in header:
        seen[cell] = seen.get(cell, 0) + 1
        unique.append(f"{cell} ({seen[cell]})" if cell and seen[cell] > 1 else cell)
    return unique


def _csv_table(path: Path) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    text, _ = read_text(path)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise DomainError(f"{path.name}: the file is empty")
    skipped = text[: text.index(header_line)].count("\n")
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text[text.index(header_line) :], newline=""), delimiter=delimiter)
    try:
        table = list(reader)
    except csv.Error as exc:
        raise DomainError(f"{path.name}: cannot be read as CSV ({exc})") from None
    first = skipped + 1
    return table[0], [(first + n, list(cells)) for n, cells in enumerate(table[1:], start=1)]


def _xlsx_table(path: Path) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, BadZipFile, KeyError, ValueError) as exc:
        raise DomainError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # read-only mode trusts the file's stated size; some writers get it
            sheet.reset_dimensions()  # wrong (e.g. "A1"), which would cut the sheet to one cell
        rows = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    filled = [(n, cells) for n, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    if not filled:
        raise DomainError(f"{path.name}: the workbook's first sheet is empty")
    (_, header), body = filled[0], filled[1:]
    return [str(h or "") for h in header], body
