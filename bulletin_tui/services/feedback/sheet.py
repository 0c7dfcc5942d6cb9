"""A questionnaire export as a header and numbered rows: CSV (any encoding, delimiter) or XLSX (first sheet), within
the limits of `services.inputs.files.FORM_EXPORT` (a workbook's zip is checked before openpyxl opens it)."""

from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from ...domain.errors import DomainError
from ..inputs.files import FORM_EXPORT, check_width, check_workbook, limited_rows, limited_sheet_rows, read_user_file
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
    text, _ = read_text(path, FORM_EXPORT)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise DomainError(f"{path.name}: the file is empty")
    first = text[: text.index(header_line)].count("\n") + 1
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text[text.index(header_line) :], newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        check_width(header, FORM_EXPORT, path.name, first)
        body = [(number, list(cells)) for number, cells in
                enumerate(limited_rows(reader, FORM_EXPORT, path.name, first + 1), start=first + 1)]
    except csv.Error as exc:
        raise DomainError(f"{path.name}: cannot be read as CSV ({exc})") from None
    return header, body


UNREADABLE = (OSError, BadZipFile, LookupError, ValueError, SyntaxError, EOFError, zlib.error)
"""What openpyxl raises for a damaged workbook (a bad zip, XML that does not parse, a wrong cell reference)."""


def _xlsx_table(path: Path) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    from openpyxl import load_workbook

    data = read_user_file(path, FORM_EXPORT.max_bytes, FORM_EXPORT.what)
    check_workbook(path.name, data)  # before openpyxl unpacks anything
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            if hasattr(sheet, "reset_dimensions"):  # read-only mode trusts the file's stated size; some writers get
                sheet.reset_dimensions()  # it wrong (e.g. "A1"): the rows are counted as they are read instead
            found = limited_sheet_rows(sheet.iter_rows(values_only=True), FORM_EXPORT, path.name)
            filled = [(number, cells) for number, cells in found if cells]
        finally:
            book.close()
    except DomainError:
        raise
    except UNREADABLE as exc:
        raise DomainError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
    if not filled:
        raise DomainError(f"{path.name}: the workbook's first sheet is empty")
    (_, header), body = filled[0], filled[1:]
    return [str(h or "") for h in header], body
