"""Reading subscriber CSV files as people really have them: any common encoding, delimiter and header names."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...domain.errors import DomainError
from ..inputs.files import SUBSCRIBER_IMPORT, TableLimits, limited_rows, read_user_file

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "e-mail", "mail", "emailaddr", "e-mailaddress", "email1",
              "e-mail1address", "primaryemail", "workemail", "smtpaddress"),
    "name": ("name", "fullname", "displayname", "contactname", "contact"),
    "first_name": ("firstname", "givenname", "forename", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "organisation": ("organisation", "organization", "company", "org", "employer", "agency", "organisationname",
                     "organizationname", "companyname"),
    "role": ("role", "jobtitle", "position", "job"),
    "area": ("area", "district", "borough", "locality"),
    "topics": ("topics", "interests", "topicsofinterest", "themes"),
    "organisation_type": ("organisationtype", "organizationtype", "orgtype", "subscribertype", "sector"),
    "status": ("status", "subscribed", "subscriptionstatus", "optin", "optedin", "optout", "optedout"),
}
LIST_COLUMN = "list:"
_HEADER_OF = {synonym.replace("-", ""): name for name, synonyms in FIELD_SYNONYMS.items()
              for synonym in synonyms}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet row number (header = 1) and the known fields it carries."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    path: Path
    encoding: str
    delimiter: str
    columns: dict[str, int]
    ignored: list[str]
    text: str
    header_row: int = 1
    sha256: str = ""

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, self.delimiter)

    def rows(self) -> Iterator[CsvRow]:
        """Non-blank data rows, numbered as a spreadsheet would show them; DomainError past the import limits."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        number = self.header_row
        try:
            next(reader, None)
            checked = limited_rows(reader, SUBSCRIBER_IMPORT, self.path.name, self.header_row + 1)
            for number, cells in enumerate(checked, start=self.header_row + 1):
                if any(cell.strip() for cell in cells):
                    yield CsvRow(number, {name: _cell(cells, index) for name, index in self.columns.items()})
        except csv.Error as exc:
            raise DomainError(f"{self.path.name}: after row {number}: cannot be read as CSV ({exc})") from None


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"), or cp1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DomainError(f"{path.name}: line {line} is neither UTF-8 nor Windows-1252 text") from None


def header_key(cell: str) -> str:
    """A header cell reduced for matching: `E-mail Address` -> `emailaddress`."""
    return re.sub(r"[^a-z0-9]", "", cell.strip().lower())


def read_text(path: Path, limits: TableLimits) -> tuple[str, str]:
    """A spreadsheet export's text (any BOM removed) and its encoding; DomainError naming the file if unreadable
    or over the size limit (its rows are the reader's to count, with `limited_rows`)."""
    text, encoding = decode(read_user_file(path, limits.max_bytes, limits.what), path)
    return text.lstrip("\ufeff"), encoding


def read_csv(path: Path) -> CsvTable:
    """Open and sniff a CSV file; DomainError naming the file if it cannot be read, is over the size limit or has
    no address column (rows past the row limit are refused as `rows()` reads them)."""
    raw = read_user_file(path, SUBSCRIBER_IMPORT.max_bytes, SUBSCRIBER_IMPORT.what)
    text, encoding = decode(raw, path)
    text = text.lstrip("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise DomainError(f"{path.name}: the file is empty")
    start = text.index(header_line)
    header_row = 1 + text.count("\n", 0, start) + text.count("\r", 0, start) - text.count("\r\n", 0, start)
    text = text[start:]
    delimiter = max(DELIMITERS, key=header_line.count)
    header = next(csv.reader([header_line], delimiter=delimiter))
    columns, ignored = _map_header(header)
    if "email" not in columns:
        raise DomainError(f"{path.name}: row 1 has no e-mail column (found: {', '.join(header)[:200]})")
    table = CsvTable(path, encoding, delimiter, columns, ignored, text, header_row, hashlib.sha256(raw).hexdigest())
    if text.count("\n") > SUBSCRIBER_IMPORT.max_rows:  # maybe too many rows: count them before any preview
        deque(table.rows(), maxlen=0)
    return table


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        label = cell.strip().lower()
        if label.startswith(LIST_COLUMN):
            name: str | None = f"{LIST_COLUMN}{label.removeprefix(LIST_COLUMN).strip()}"
        else:
            name = _HEADER_OF.get(header_key(cell))
        if name is None or name in columns:
            ignored.append(cell.strip())
        else:
            columns[name] = index
    return columns, [cell for cell in ignored if cell]


def _cell(cells: list[str], index: int) -> str:
    value = cells[index].strip() if index < len(cells) else ""
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]  # undo our own export's formula neutralisation
    return value
