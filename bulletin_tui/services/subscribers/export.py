"""Export to CSV that Excel opens correctly (UTF-8 with BOM) and cannot run as formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from ...domain.times import LONDON
from ...storage.outputs import write_output
from ..context import AppContext
from ..subscribers.csvread import FORMULA_START
from ..subscribers.lists import all_lists
from ..subscribers.people import subscribers_on
from ..subscribers.suppression import suppression_check

BASE_COLUMNS = ["Email", "Name", "Organisation", "Role", "Area", "Topics", "Needs SMTPUTF8", "Suppressed",
                "Created (UK time)", "Updated (UK time)"]


def neutralise(value: str) -> str:
    """Prefix a cell a spreadsheet would treat as a formula (= + - @, tab, CR) with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _local(moment: datetime) -> str:
    """Europe/London wall time in a form spreadsheets read as a date and time."""
    return f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M}"


def export_rows(ctx: AppContext, list_slug: str | None = None) -> list[list[str]]:
    """The header and one row per subscriber, with their status on every list, already neutralised."""
    slugs = [d.slug for d in all_lists(ctx)]
    is_suppressed = suppression_check(ctx)
    rows = [BASE_COLUMNS + [f"List: {slug}" for slug in slugs]]
    for person in subscribers_on(ctx, list_slug):
        suppressed = is_suppressed(person.email)
        cells = [person.email, person.name, person.organisation, person.role, person.area,
                 "; ".join(person.topics), "yes" if person.smtputf8 else "no", "yes" if suppressed else "no",
                 _local(person.created_at), _local(person.updated_at)]
        cells += [person.lists[s].status.value if s in person.lists else "" for s in slugs]
        rows.append([neutralise(cell) for cell in cells])
    return rows


def export_csv(ctx: AppContext, path: Path, list_slug: str | None = None) -> int:
    """Write the export atomically (file mode 0600: it is personal data; never inside the data folder);
    returns the subscriber count."""
    rows = export_rows(ctx, list_slug)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    write_output(path, buffer.getvalue().encode("utf-8-sig"), ctx.data_dir)
    return len(rows) - 1
