"""The KCST update for the partnership: a Markdown report of one financial year, with a terminal bar chart."""

from __future__ import annotations

from ...domain.times import LONDON, british_date, financial_year_of
from ..context import AppContext
from ..reports.data import BulletinLine, SessionLine, YearFacts, year_facts
from ..reports.feedback_lines import feedback_section

BAR_WIDTH = 30


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip() or "–"


def _short_date(line: SessionLine) -> str:
    return line.session.local_start.strftime("%d %b %Y").lstrip("0")


def _number(value: int | None) -> str:
    return "not recorded" if value is None else f"{value:,}"


def attendance_chart(lines: list[SessionLine], width: int = BAR_WIDTH) -> list[str]:
    """One bar per session: `█` attended, `░` registered but absent (or not recorded), scaled to the largest."""
    if not lines:
        return ["(no sessions delivered)"]
    largest = max(max(line.registered, line.attended or 0) for line in lines) or 1
    labels = [f"{_short_date(line)}  {line.session.title[:28]}" for line in lines]
    pad = max(len(label) for label in labels)
    out = []
    for label, line in zip(labels, lines, strict=True):
        attended = line.attended or 0
        solid = round(width * attended / largest)
        light = max(round(width * max(line.registered, attended) / largest) - solid, 0)
        figure = f"{attended}/{line.registered}" if line.attended is not None else f"?/{line.registered}"
        out.append(f"{label.ljust(pad)}  {'█' * solid}{'░' * light}{' ' * (width - solid - light)}  {figure}")
    out.append(f"{'':{pad}}  █ attended  ░ registered, not attended (or not recorded)")
    return out


def _sessions_table(lines: list[SessionLine]) -> list[str]:
    rows = ["| Date | Session | Topics | Registered | Attended |", "|---|---|---|---:|---:|"]
    for line in lines:
        s = line.session
        rows.append(f"| {_when(line)} | {_cell(s.title + _dates_totals(line))} | {_cell('; '.join(s.topics))} | "
                    f"{line.registered} | {_number(line.attended)} |")
    return rows


def _when(line: SessionLine) -> str:
    """Its date, or all its dates ("2 February, 16 February, 2 March and 16 March 2027")."""
    if not line.dates:
        return british_date(line.session.start)
    days = [f"{d.astimezone(LONDON).day} {d.astimezone(LONDON):%B}" for d in line.dates]
    year = f" {line.dates[-1].astimezone(LONDON).year}"
    return days[0] + year if len(days) == 1 else ", ".join(days[:-1]) + f" and {days[-1]}{year}"


def _dates_totals(line: SessionLine) -> str:
    """" (4 dates, 64 places, 55 attended)" for a session on several dates."""
    if not line.dates:
        return ""
    parts = [f"{len(line.dates)} date{'s' if len(line.dates) != 1 else ''}"]
    if line.places is not None:
        parts.append(f"{line.places} places")
    if line.attended is not None:
        parts.append(f"{line.attended} attended")
    return f" ({', '.join(parts)})"


def _bulletins_table(lines: list[BulletinLine]) -> list[str]:
    rows = ["| Sent | Issue | Items | Headline items | People | Messages |", "|---|---|---:|---|---:|---:|"]
    for line in lines:
        sent = british_date(line.issue.sent_at) if line.issue.sent_at else "–"
        rows.append(f"| {sent} | {_cell(line.issue.title)} | {line.items} | {_cell('; '.join(line.headlines))} | "
                    f"{_number(line.recipients)} | {_number(line.messages)} |")
    return rows


def _summary(facts: YearFacts) -> list[str]:
    attended = [line.attended for line in facts.delivered if line.attended is not None]
    change = facts.subscribers_end - facts.subscribers_start
    return [
        f"- **{len(facts.delivered)}** information session{'' if len(facts.delivered) == 1 else 's'} delivered"
        + (f", **{sum(attended):,}** attendances recorded" if attended else "")
        + (f"; {len(facts.planned)} more planned" if facts.planned else "")
        + (f"; {len(facts.cancelled)} cancelled" if facts.cancelled else ""),
        f"- **{len(facts.bulletins)}** e-bulletin{'' if len(facts.bulletins) == 1 else 's'} sent"
        + (f"; latest on {british_date(facts.bulletins[-1].issue.sent_at)}"
           if facts.bulletins and facts.bulletins[-1].issue.sent_at else ""),
        f"- Subscribers: **{facts.subscribers_start:,}** at the start of the year, **{facts.subscribers_end:,}** "
        f"{'so far' if facts.in_progress else 'at the end'} ({change:+,})",
    ]


def render_report(facts: YearFacts, *, team_name: str, prepared: str, feedback: list[str] | None = None) -> str:
    """The Markdown text of the report."""
    parts = [f"# {team_name}: update for the partnership, {facts.label}", "",
             f"_Financial year {british_date(facts.first_day)} to {british_date(facts.last_day)}; "
             f"prepared {prepared}._", "", "## Summary", "", *_summary(facts), "",
             "## Information sessions delivered", ""]
    parts += _sessions_table(facts.delivered) if facts.delivered else ["No sessions were delivered this year."]
    if facts.planned:
        parts += ["", "### Planned for the rest of the year", "", *_sessions_table(facts.planned)]
    if facts.cancelled:
        parts += ["", "Cancelled: " + "; ".join(f"{_cell(s.title)} ({british_date(s.start)})"
                                               for s in facts.cancelled)]
    parts += ["", "## Attendance per session", "", "```text", *attendance_chart(facts.delivered), "```", ""]
    parts += [*feedback, ""] if feedback else []
    parts += ["## E-bulletins sent", ""]
    parts += _bulletins_table(facts.bulletins) if facts.bulletins else ["No bulletins were sent this year."]
    parts += ["", "## Subscribers", "", "| | Subscribers |", "|---|---:|",
              f"| {british_date(facts.first_day)} | {facts.subscribers_start:,} |",
              f"| {british_date(facts.counted_until or facts.last_day)}"
              f"{' (year in progress)' if facts.in_progress else ''} | {facts.subscribers_end:,} |", ""]
    return "\n".join(parts)


def build_report(ctx: AppContext, label: str | None = None) -> str:
    """The report for a financial year (`2024/25`; default: the current one)."""
    now = ctx.clock.now()
    label = label or financial_year_of(now.date())
    facts = year_facts(ctx, label)
    return render_report(facts, team_name=ctx.settings.sender.team_name, prepared=british_date(now),
                         feedback=feedback_section(ctx, facts))
