"""Feedback questionnaires at a size well past a real year (a Forms export has tens to hundreds of rows):

1. Importing 5,000 responses from a UTF-8-with-BOM CSV (Excel serial dates, multi-line comments), then the same
   file again (adds nothing: every row is recognised by its ID).
2. The same 5,000 rows as an XLSX read with openpyxl in read-only mode, into a second session.
3. One session's summary with 10,000 responses stored, and the yearly report that quotes both sessions.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from benchmarks._common import NOW, peak_rss_mb, report, timed  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.feedback.imports import import_feedback  # noqa: E402
from bulletin_tui.services.feedback.summary import session_feedback  # noqa: E402
from bulletin_tui.services.sessions import catalogue as sessions  # noqa: E402
from bulletin_tui.services.yearly_report.report import build_report  # noqa: E402

ROWS = 5_000
HEADER = [
    "ID",
    "Completion time",
    "Email",
    "Name",
    "How would you rate the delivery?",
    "How would you rate the content?",
    "How would you rate the venue?",
    "Any other comments?",
]
WORDS = ["Excellent", "Good", "Average", "Poor", "Very poor"]


def export_rows() -> list[list[object]]:
    pick = random.Random(17).choice
    return [
        [
            n,
            44620.5 + n / 100_000,
            f"person{n}@example.org",
            f"Test Person {n}",
            pick(WORDS),
            pick(WORDS),
            pick(WORDS),
            "Useful, thank you.\nMore on CPNs, please" if n % 3 else "",
        ]
        for n in range(1, ROWS + 1)
    ]


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    rows = export_rows()
    with (folder / "export.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(folder / "export.xlsx")
    ctx = open_context(Settings(data_dir=folder / "data"), create=True, clock=FixedClock(NOW))
    for slug in ("csv-day", "xlsx-day"):
        start, end = sessions.parse_times("2022-02-28 09:30", "16:30")
        sessions.create_session(ctx, slug=slug, title="ASB Tools & Powers CPD", start=start, end=end, kind="training")
    csv_first, first = timed(lambda: import_feedback(ctx, "csv-day", folder / "export.csv"))
    csv_again, again = timed(lambda: import_feedback(ctx, "csv-day", folder / "export.csv"))
    xlsx_first, _ = timed(lambda: import_feedback(ctx, "xlsx-day", folder / "export.xlsx"))
    summary_s, summary = timed(lambda: session_feedback(ctx, "csv-day"))
    report_s, text = timed(lambda: build_report(ctx, "2021/22"))
    assert first.added == ROWS and again.added == 0 and summary.responses == ROWS and "10000 responses" in text
    report(
        f"Feedback: {ROWS:,} responses per export",
        [
            ("CSV import (one write)", f"{csv_first:.2f} s", f"{ROWS / csv_first:,.0f} rows/s"),
            ("same CSV again (adds 0)", f"{csv_again:.2f} s", "every row recognised by its ID"),
            ("XLSX import (openpyxl, read-only)", f"{xlsx_first:.2f} s", f"{ROWS / xlsx_first:,.0f} rows/s"),
            ("one session's summary (10,000 stored)", f"{summary_s * 1000:.0f} ms", summary.papers_line()[:60]),
            ("yearly report with the feedback section", f"{report_s:.2f} s", ""),
            ("peak RSS", f"{peak_rss_mb():.0f} MB", ""),
        ],
    )
    ctx.close()


if __name__ == "__main__":
    main()
