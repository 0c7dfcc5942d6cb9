"""The KCST update for the partnership: one financial year as blocks (`report_blocks`), rendered here as Markdown
with a text bar chart; `docx.py` renders the same blocks as a Word document."""

from __future__ import annotations

from pathlib import Path

from ...domain.times import LONDON, british_date, financial_year_of
from ...storage.outputs import write_output
from ..context import AppContext
from ..yearly_report.data import BulletinLine, SessionLine, YearFacts, year_facts
from ..yearly_report.feedback_lines import feedback_blocks
from ..yearly_report.who_lines import who_blocks
from .document import LEGEND, Bar, Block, Bullets, Chart, Heading, Paragraph, Table

BAR_WIDTH = 30


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip() or "–"


def _number(value: int | None) -> str:
    return "not recorded" if value is None else f"{value:,}"


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def attendance_bars(lines: list[SessionLine]) -> list[Bar]:
    """One bar per delivered session: attended, no-shows, not recorded (never a figure for a session to come)."""
    bars = []
    for line in lines:
        attended, no_show = line.attended or 0, line.no_show or 0
        unknown = line.not_recorded if line.not_recorded is not None else max(line.registered - attended - no_show, 0)
        label = f"{line.session.local_start.strftime('%d %b %Y').lstrip('0')}  {line.session.title[:28]}"
        bars.append(Bar(label, line.registered, attended, no_show, unknown, line.attended is not None))
    return bars


def attendance_chart(lines: list[SessionLine], width: int = BAR_WIDTH) -> list[str]:
    """The text chart: `█` attended, `▒` no-show, `░` not recorded, scaled to the largest session."""
    return chart_text(Chart("Attendance per session", attendance_bars(lines)), width)


def chart_text(chart: Chart, width: int = BAR_WIDTH) -> list[str]:
    if not chart.bars:
        return [chart.empty]
    largest = max(max(bar.registered, bar.attended + bar.no_show + bar.not_recorded) for bar in chart.bars) or 1
    pad = max(len(bar.label) for bar in chart.bars)
    out = []
    for bar in chart.bars:
        cells, total = "", 0
        for symbol, value in zip(LEGEND.values(), (bar.attended, bar.no_show, bar.not_recorded), strict=True):
            total += value
            cells += symbol * (round(width * total / largest) - len(cells))
        out.append(f"{bar.label.ljust(pad)}  {cells[:width].ljust(width)}  {bar.figure}")
    out.append(f"{'':{pad}}  " + "  ".join(f"{symbol} {name}" for name, symbol in LEGEND.items()))
    return out


def _when(line: SessionLine) -> str:
    """Its date, or all its dates ("2 February, 16 February, 2 March and 16 March 2027")."""
    if not line.dates:
        return british_date(line.session.start)
    days = [f"{d.astimezone(LONDON).day} {d.astimezone(LONDON):%B}" for d in line.dates]
    year = f" {line.dates[-1].astimezone(LONDON).year}"
    return days[0] + year if len(days) == 1 else ", ".join(days[:-1]) + f" and {days[-1]}{year}"


def _dates_totals(line: SessionLine, *, attendance: bool) -> str:
    """" (4 dates, 64 places, 55 attended)" for a session on several dates."""
    if not line.dates:
        return ""
    parts = [f"{len(line.dates)} date{'s' if len(line.dates) != 1 else ''}"]
    if line.places is not None:
        parts.append(f"{line.places} places")
    if attendance and line.attended is not None:
        parts.append(f"{line.attended} attended")
    return f" ({', '.join(parts)})"


def sessions_table(lines: list[SessionLine], *, attendance: bool = True) -> Table:
    """Delivered sessions with attended, no-show and not recorded; sessions still to come without any of them."""
    header = ["Date", "Session", "Topics", "Registered"]
    rows = []
    for line in lines:
        s = line.session
        row = [_when(line), s.title + _dates_totals(line, attendance=attendance), "; ".join(s.topics) or "–",
               f"{line.registered:,}"]
        if attendance:
            row += [_number(line.attended), _count(line.no_show), _count(line.not_recorded)]
        rows.append(row)
    if attendance:
        header += ["Attended", "No-show", "Not recorded"]
    return Table(header, rows, frozenset(range(3, len(header))))


def bulletins_table(lines: list[BulletinLine]) -> Table:
    rows = [[british_date(line.issue.sent_at) if line.issue.sent_at else "–", line.issue.title, str(line.items),
             "; ".join(line.headlines), _number(line.recipients), _number(line.messages)] for line in lines]
    return Table(["Sent", "Issue", "Items", "Headline items", "People", "Messages"], rows, frozenset({2, 4, 5}))


def subscribers_table(facts: YearFacts) -> Table:
    end = f"{british_date(facts.counted_until or facts.last_day)}{' (year in progress)' if facts.in_progress else ''}"
    return Table(["", "Subscribers"], [[british_date(facts.first_day), f"{facts.subscribers_start:,}"],
                                       [end, f"{facts.subscribers_end:,}"]], frozenset({1}))


def _summary(facts: YearFacts) -> list[str]:
    attended = [line.attended for line in facts.delivered if line.attended is not None]
    change = facts.subscribers_end - facts.subscribers_start
    return [
        f"**{len(facts.delivered)}** information session{'' if len(facts.delivered) == 1 else 's'} delivered"
        + (f", **{sum(attended):,}** attendances recorded" if attended else "")
        + (f"; {len(facts.planned)} more planned" if facts.planned else "")
        + (f"; {len(facts.cancelled)} cancelled" if facts.cancelled else ""),
        f"**{len(facts.bulletins)}** e-bulletin{'' if len(facts.bulletins) == 1 else 's'} sent"
        + (f"; latest on {british_date(facts.bulletins[-1].issue.sent_at)}"
           if facts.bulletins and facts.bulletins[-1].issue.sent_at else ""),
        f"Subscribers: **{facts.subscribers_start:,}** at the start of the year, **{facts.subscribers_end:,}** "
        f"{'so far' if facts.in_progress else 'at the end'} ({change:+,})",
    ]


def report_blocks(facts: YearFacts, *, team_name: str, prepared: str, feedback: list[Block] | None = None) -> (
        list[Block]):
    """The report, block by block, in the order every rendering shows it."""
    blocks: list[Block] = [
        Heading(f"{team_name}: update for the partnership, {facts.label}", 1),
        Paragraph(f"_Financial year {british_date(facts.first_day)} to {british_date(facts.last_day)}; "
                  f"prepared {prepared}._"),
        Heading("Summary", 2), Bullets(_summary(facts)), Heading("Information sessions delivered", 2),
        sessions_table(facts.delivered) if facts.delivered else Paragraph("No sessions were delivered this year.")]
    if facts.planned:
        blocks += [Heading("Planned for the rest of the year", 3), sessions_table(facts.planned, attendance=False)]
    if facts.cancelled:
        blocks.append(Paragraph("Cancelled: " + "; ".join(f"{s.title} ({british_date(s.start)})"
                                                           for s in facts.cancelled)))
    blocks += [Heading("Attendance per session", 2), Chart("Attendance per session", attendance_bars(facts.delivered))]
    blocks += feedback or []
    blocks += [Heading("E-bulletins sent", 2),
               bulletins_table(facts.bulletins) if facts.bulletins else Paragraph("No bulletins were sent this year."),
               Heading("Subscribers", 2), subscribers_table(facts)]
    return blocks


def _markdown_table(table: Table) -> list[str]:
    align = ["---:" if n in table.numeric else "---" for n in range(len(table.header))]
    return [f"| {' | '.join(_cell(h) if h else '' for h in table.header)} |".replace("|  |", "| |"),
            f"|{'|'.join(align)}|", *(f"| {' | '.join(_cell(c) for c in row)} |" for row in table.rows)]


def markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown (tables as pipe tables, the chart as a text block)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts += [f"{'#' * block.level} {block.text}", ""]
        elif isinstance(block, Paragraph):
            parts += [block.text, ""]
        elif isinstance(block, Bullets):
            parts += [*(f"- {item}" for item in block.items), ""]
        elif isinstance(block, Table):
            parts += [*_markdown_table(block), ""]
        else:
            parts += ["```text", *chart_text(block), "```", ""]
    return "\n".join(parts)


def build_blocks(ctx: AppContext, label: str | None = None) -> list[Block]:
    """The report's blocks for a financial year (`2024/25`; default: the current one)."""
    now = ctx.clock.now()
    facts = year_facts(ctx, label or financial_year_of(now.date()))
    return report_blocks(facts, team_name=ctx.settings.sender.team_name, prepared=british_date(now),
                         feedback=feedback_blocks(ctx, facts)) + who_blocks(ctx, facts)


def build_report(ctx: AppContext, label: str | None = None) -> str:
    """The Markdown report for a financial year (`2024/25`; default: the current one)."""
    return markdown(build_blocks(ctx, label))


def report_file_name(label: str, suffix: str) -> str:
    """`kcst-update-2026-27.md` / `.docx`: the name a saved report is offered under."""
    return f"kcst-update-{label.replace('/', '-')}{suffix}"


def write_report_markdown(ctx: AppContext, path: Path, label: str | None = None) -> Path:
    """Write the Markdown report (atomically, mode 0600; never inside the data folder except its exports/)."""
    return write_output(path, build_report(ctx, label).encode("utf-8"), ctx.data_dir)
