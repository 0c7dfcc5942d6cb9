"""`report --docx`: the yearly report as a Word document, opened with python-docx and checked against the Markdown
report's figures (headings, every table cell, a chart picture per chart with its alt text)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from PIL import Image

from bulletin_tui.services.sessions.attendance import mark_attendance
from bulletin_tui.services.yearly_report.report import build_report

from .test_report import year  # noqa: F401  (the fixture: a year of sessions, bulletins and subscribers)


def _markdown_headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{1,3} ", line)]


def _markdown_tables(text: str) -> list[list[list[str]]]:
    """Each pipe table as rows of cells (the separator row left out, Markdown escapes undone)."""
    tables: list[list[list[str]]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(cells)
        previous = line
    return tables


@pytest.fixture
def held(ctx, clock, year):  # type: ignore[no-untyped-def]  # noqa: F811
    """The year with the December session held: a no-show recorded there and at the first session."""
    clock.advance(days=12)
    mark_attendance(ctx, "fish-fest", "p3@example.org", False)
    mark_attendance(ctx, "december", "early@example.org", False)
    return year


def test_the_word_report_has_the_markdown_reports_headings_tables_and_a_chart(cli_ctx_run) -> None:
    ctx, run, year_label, folder = cli_ctx_run
    markdown = build_report(ctx, year_label)
    out = folder / "kcst-update.docx"
    assert f"Wrote {out}" in run("report", "--year", year_label, "--docx", str(out))
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert headings == _markdown_headings(markdown)
    assert document.paragraphs[0].style.name == "Title" and document.core_properties.title == headings[0]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert tables == _markdown_tables(markdown)
    delivered = tables[0]
    assert delivered[0][3:] == ["Registered", "Attended", "No-show", "Not recorded"]
    assert delivered[1][3:] == ["4", "3", "1", "0"] and delivered[3][3:] == ["1", "0", "1", "0"]
    assert "Attended" not in tables[1][0]  # planned for the rest of the year: no attendance
    [picture] = document.inline_shapes
    alt = picture._inline.docPr.get("descr")
    assert alt.startswith("Attendance per session.") and "3 attended, 1 no-show, 0 not recorded of 4" in alt
    blob = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    image = Image.open(io.BytesIO(blob))
    assert image.format == "PNG" and image.width >= 900
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0] == "3 information sessions delivered, 3 attendances recorded; 1 cancelled"
    bold = [run.text for p in document.paragraphs if p.style.name == "List Bullet" for run in p.runs if run.bold]
    assert bold[:2] == ["3", "3"]


@pytest.fixture
def cli_ctx_run(ctx, held, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The report command on the test's data folder, its clock moved with the fixture's (BULLETIN_NOW)."""
    from bulletin_tui.domain.clock import NOW_VARIABLE

    from ..conftest import CliRun

    monkeypatch.setenv("BULLETIN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv(NOW_VARIABLE, ctx.clock.now().isoformat())
    return ctx, CliRun(ctx.data_dir), held, tmp_path


def test_the_markdown_stays(cli_ctx_run) -> None:
    ctx, run, year_label, folder = cli_ctx_run
    assert run("report", "--year", year_label).strip() == build_report(ctx, year_label).strip()
    both = folder / "both"
    both.mkdir()
    said = run("report", "--year", year_label, "--out", str(both / "r.md"), "--docx", str(both / "r.docx"))
    assert (both / "r.md").read_text(encoding="utf-8") == build_report(ctx, year_label)
    assert "r.docx" in said and (both / "r.docx").stat().st_mode & 0o777 == 0o600


def test_a_docx_inside_the_data_folder_is_refused(cli_ctx_run) -> None:
    ctx, run, year_label, _folder = cli_ctx_run
    run("report", "--year", year_label, "--docx", str(ctx.data_dir / "r.docx"), code=1)
    assert not (ctx.data_dir / "r.docx").exists()
