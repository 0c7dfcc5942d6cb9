"""Files the user names (imports, attachments, saved e-mails): every limit in one place, checked before parsing.

A file is read only when it is a regular file (not a folder, device or pipe: `/dev/zero` never ends), and then at
most `limit + 1` bytes of it from the one handle that was checked. A spreadsheet's rows and columns are counted
while it is read, and a workbook's zip members are checked before openpyxl sees it. docs/limits.md lists them."""

from __future__ import annotations

import io
import logging
import os
import stat
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ...domain.errors import DomainError

MB = 1024 * 1024
Row = TypeVar("Row", bound=Sequence[object])


@dataclass(frozen=True)
class TableLimits:
    """How large one spreadsheet export may be."""

    max_bytes: int
    """The file on disk (for a workbook: compressed)."""
    max_rows: int
    """Data rows after the header, blank ones included."""
    max_columns: int
    """Filled columns in any row."""
    what: str
    """The file as the refusal names it ("a subscriber import")."""


SUBSCRIBER_IMPORT = TableLimits(50 * MB, 200_000, 200, "a subscriber import")
"""Subscriber CSV: a whole mailing list (the 100,000-row benchmark file is about 8 MB)."""
FORM_EXPORT = TableLimits(20 * MB, 50_000, 200, "a form export")
"""Questionnaire exports (CSV or XLSX), registration form exports and Teams attendance reports."""
WORKBOOK_MAX_UNCOMPRESSED = 50 * MB
"""All of an XLSX's members unpacked (a 50,000-row, 9-column Forms export is about 25 MB)."""
WORKBOOK_MAX_MEMBERS = 1_000
WORKBOOK_MAX_RATIO = 100
"""Unpacked / packed for any member over 1 MB (real sheets pack 5-20 times; a zip bomb thousands of times)."""
_RATIO_FROM = 1 * MB
EXCEL_LAST_ROW = 1_048_576
"""No sheet Excel can save goes further down."""
EML_MAX_BYTES = 25 * MB
"""A saved e-mail (.eml): Microsoft 365 refuses larger messages anyway."""
PEM_MAX_BYTES = 1 * MB


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


def read_user_file(path: Path, limit: int, what: str, *, advice: str = "") -> bytes:
    """The file's bytes, or one line naming it: missing, not a regular file, or over `limit` bytes (then
    `advice` follows in brackets)."""
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DomainError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd)
        kind = _not_regular(mode.st_mode)
        if kind:
            raise DomainError(f"{path} is {kind}, not a file ({what} must be a regular file)")
        _check_size(path, mode.st_size, limit, what, advice)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DomainError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    _check_size(path, len(data), limit, what, advice)  # it grew since the check
    return data


def _not_regular(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "a pipe or socket"
    return "a device"


def _check_size(path: Path, size: int, limit: int, what: str, advice: str) -> None:
    if size > limit:
        after = f" ({advice})" if advice else ""
        raise DomainError(f"{path} is {megabytes(size)}; {what} may be at most {megabytes(limit)}{after}")


def limited_rows(rows: Iterable[Row], limits: TableLimits, name: str, first: int = 2) -> Iterator[Row]:
    """Data rows (the first numbered `first`, as a spreadsheet shows it), refused naming the file and row past
    the row limit or with filled cells past the column limit."""
    for count, cells in enumerate(rows, start=1):
        number = first + count - 1
        if count > limits.max_rows:
            raise DomainError(
                f"{name}: row {number}: more than {limits.max_rows:,} rows; {limits.what} may have at most "
                f"{limits.max_rows:,} (split the file)"
            )
        check_width(cells, limits, name, number)
        yield cells


def check_width(cells: Sequence[object], limits: TableLimits, name: str, number: int) -> None:
    """Refuse a row whose filled cells reach past the column limit."""
    if len(cells) > limits.max_columns and any(_filled(cell) for cell in cells[limits.max_columns :]):
        raise DomainError(
            f"{name}: row {number}: more than {limits.max_columns} columns; {limits.what} may have at most "
            f"{limits.max_columns}"
        )


def limited_sheet_rows(
    rows: Iterable[Sequence[Any]], limits: TableLimits, name: str
) -> Iterator[tuple[int, list[Any]]]:
    """A workbook sheet's rows from row 1, numbered, trailing empty cells dropped. Refused naming the file and row:
    a filled row past the row limit (the header being row 1), filled cells past the column limit, or a sheet
    whose rows add up to more cells than the limits allow (empty cells far to the right cost time to unpack)."""
    most_cells, cells_seen = limits.max_rows * limits.max_columns, 0
    for number, cells in enumerate(rows, start=1):
        cells_seen += len(cells)
        if number > EXCEL_LAST_ROW or cells_seen > most_cells:
            raise DomainError(
                f"{name}: row {number}: the sheet spreads further than {limits.what} may (over {most_cells:,} "
                "cells, or past Excel's last row); copy the answers into a new sheet or save it as CSV"
            )
        filled = [index for index, cell in enumerate(cells) if _filled(cell)]
        trimmed = list(cells[: filled[-1] + 1]) if filled else []
        if trimmed and number > limits.max_rows + 1:
            raise DomainError(
                f"{name}: row {number}: more than {limits.max_rows:,} rows; {limits.what} may have at most "
                f"{limits.max_rows:,} (split the file)"
            )
        check_width(trimmed, limits, name, number)
        yield number, trimmed


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def check_workbook(name: str, data: bytes) -> None:
    """Refuse a workbook whose zip would unpack too large, too many times its size, or into too many members."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DomainError(f"{name}: cannot be read as an Excel workbook ({exc})") from None
    if len(members) > WORKBOOK_MAX_MEMBERS:
        raise DomainError(f"{name}: {len(members):,} parts in the workbook; at most {WORKBOOK_MAX_MEMBERS:,}")
    total = sum(member.file_size for member in members)
    if total > WORKBOOK_MAX_UNCOMPRESSED:
        raise DomainError(
            f"{name}: the workbook unpacks to {megabytes(total)}; at most {megabytes(WORKBOOK_MAX_UNCOMPRESSED)} "
            "(save it as CSV, or split it)"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FROM and ratio > WORKBOOK_MAX_RATIO:
            raise DomainError(
                f"{name}: {member.filename} unpacks to {ratio:,.0f} times its size (at most "
                f"{WORKBOOK_MAX_RATIO}); not an ordinary spreadsheet"
            )


def pdf_pages(name: str, data: bytes) -> int:
    """The page count as a real PDF parser (pypdf) reads it; one line naming the file when it cannot be read
    (an HTML page behind a `%PDF-` header, a truncated file), needs a password, or has no pages."""
    from pypdf import PdfReader  # imported here: only attachments need it
    from pypdf.errors import FileNotDecryptedError

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings about a sloppy but readable file are not the user's concern
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except FileNotDecryptedError:
        raise DomainError(f"{name} is password-protected; attach a copy without a password") from None
    except Exception as exc:  # untrusted bytes: any failure of the parser means "not a PDF to send"
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise DomainError(f"{name} is not a PDF that can be read ({reason}); only PDF files can be attached") from None
    finally:
        logger.setLevel(level)
    if pages < 1:
        raise DomainError(f"{name} is a PDF without any pages")
    return pages
