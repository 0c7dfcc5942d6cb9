"""`bulletin-tui report`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services.yearly_report.report import build_report
from ..storage.outputs import write_output
from .common import check_output, state


def report(
    ctx: typer.Context,
    year: Annotated[str | None, typer.Option("--year", help="Financial year, e.g. 2024/25 (default: this one)")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Markdown file to write (default: stdout)")] = None,
    docx: Annotated[Path | None, typer.Option("--docx", help=(
        "Also write it as a Word document (headings, tables, charts as pictures) for a meeting's agenda pack"))]
    = None,
) -> None:
    """The KCST update for the partnership: one April-March year as Markdown (and, with --docx, Word)."""
    for target in (out, docx):
        if target is not None:
            check_output(ctx, target)
    context = state(ctx).context(read_only=True)
    if docx is not None:
        from ..services.yearly_report.docx import write_report_docx

        write_report_docx(context, docx, year)
        typer.echo(f"Wrote {docx}")
    if out is None and docx is not None:
        return
    text = build_report(context, year)
    if out is None:
        typer.echo(text)
        return
    write_output(out, text.encode("utf-8"), context.data_dir)
    typer.echo(f"Wrote {out}")


def register(app: typer.Typer) -> None:
    """Add the `report` command to the root app."""
    app.command("report")(report)
