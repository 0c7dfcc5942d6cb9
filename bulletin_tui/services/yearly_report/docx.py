"""The yearly report as a Word document for a meeting's agenda pack: the same blocks as the Markdown (headings,
tables, the summary) with the charts as PNG pictures drawn by matplotlib. python-docx and matplotlib are imported
inside the functions: the CLI starts without them (tests/test_startup.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ...storage.outputs import write_output
from ..context import AppContext
from .document import LEGEND, Block, Bullets, Chart, Heading, Paragraph, Table
from .report import build_blocks

INLINE_RE = re.compile(r"(\*\*[^*]+\*\*)")
COLOURS = {"attended": "#1d5f8a", "no-show": "#c8641e", "not recorded": "#c9ccd1"}
"""Attended dark blue, no-show orange, not recorded light grey: told apart without colour too (order, legend)."""
PAGE_WIDTH_IN = 6.3


def chart_png(chart: Chart) -> bytes:
    """A horizontal stacked bar per session (attended, no-show, not recorded), as PNG bytes (Agg, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    bars = list(reversed(chart.bars))  # matplotlib draws bottom-up: the first session on top, as in the tables
    figure = Figure(figsize=(PAGE_WIDTH_IN, max(1.6, 0.45 * len(bars) + 1.1)), dpi=150)
    axes = figure.subplots()
    labels = [bar.label.replace("  ", " · ") for bar in bars]
    left = [0] * len(bars)
    for name, values in zip(LEGEND, ([b.attended for b in bars], [b.no_show for b in bars],
                                     [b.not_recorded for b in bars]), strict=True):
        axes.barh(labels, values, left=left, color=COLOURS[name], label=name, edgecolor="white")
        left = [start + value for start, value in zip(left, values, strict=True)]
    for row, bar in enumerate(bars):
        axes.text(left[row], row, f" {bar.figure}", va="center", fontsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("People registered")
    axes.set_title(chart.title, fontsize=10, loc="left")
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _runs(paragraph: Any, text: str) -> None:
    """Text with **bold** spans; a paragraph wrapped in _underscores_ is italic."""
    italic = len(text) > 1 and text.startswith("_") and text.endswith("_")
    for part in INLINE_RE.split(text[1:-1] if italic else text):
        if part:
            bold = part.startswith("**") and part.endswith("**")
            run = paragraph.add_run(part[2:-2] if bold else part)
            run.bold, run.italic = bold or None, italic or None


def _table(document: Any, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    for row_number, cells in enumerate([table.header, *table.rows]):
        for column, text in enumerate(cells):
            paragraph = grid.cell(row_number, column).paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = row_number == 0 or None
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _picture(document: Any, chart: Chart) -> None:
    from docx.shared import Inches

    if not chart.bars:
        document.add_paragraph(chart.empty.strip("()").capitalize() + ".")
        return
    document.add_picture(io.BytesIO(chart_png(chart)), width=Inches(PAGE_WIDTH_IN))
    described = "; ".join(f"{b.label.replace('  ', ' ')}: {b.attended} attended, {b.no_show} no-show, "
                          f"{b.not_recorded} not recorded of {b.registered}" for b in chart.bars)
    document.inline_shapes[-1]._inline.docPr.set("descr", f"{chart.title}. {described}")  # alt text


def docx_bytes(blocks: list[Block]) -> bytes:
    """The blocks as a .docx: Title, Heading 1 and 2, bulleted lists, tables with a bold header row, charts."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level - 1)
            if block.level == 1:
                document.core_properties.title = block.text
        elif isinstance(block, Paragraph):
            _runs(document.add_paragraph(), block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                _runs(document.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _picture(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_report_docx(ctx: AppContext, path: Path, label: str | None = None) -> Path:
    """Write the year's report as a Word document (atomically, mode 0600; never inside the data folder except
    its exports/); returns where it went."""
    return write_output(path, docx_bytes(build_blocks(ctx, label)), ctx.data_dir)
