"""Crafted workbooks, built with zipfile: small on disk, ruinous to a reader that trusts them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
        f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
HEADER_ROW = '<row r="1">' + "".join(
    f'<c r="{column}1" t="inlineStr"><is><t>{text}</t></is></c>'
    for column, text in (("A", "Email"), ("B", "How would you rate the delivery?"))
)


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_workbook(path: Path, rows: Iterable[str], dimension: str = "A1:B2") -> Path:
    """A one-sheet workbook whose sheet XML is the header row, then `rows`, streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            sheet.write((HEADER_ROW + "</row>").encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def wide_rows(count: int) -> Iterable[str]:
    """Each row has a cell in Excel's last column (XFD): a trusting reader holds 16,384 cells per row. 20,000 such
    rows are about 170 KB on disk and took 2.4 GB (then MemoryError) before the limits."""
    for number in range(2, count + 2):
        yield f'<row r="{number}">{cell(f"A{number}", "a@example.org")}{cell(f"XFD{number}", "Good")}</row>'


def blank_space(megabytes: int) -> Iterable[str]:
    """Megabytes of spaces after the header: unpacks about a thousand times its packed size."""
    for _ in range(megabytes):
        yield " " * (1024 * 1024)


def far_row(number: int) -> Iterable[str]:
    """One answer far below the header (a trusting reader yields every empty row in between)."""
    yield f'<row r="{number}">{cell(f"A{number}", "a@example.org")}{cell(f"B{number}", "Good")}</row>'
