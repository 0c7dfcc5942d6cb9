"""The dashboard's awareness calendar: campaigns in the next eight weeks, dates in words, "starts in 5 days"."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text

from ...domain.awareness import Occurrence, is_guess, span_words, when_words
from ...services.awareness import campaigns, schedule
from ...services.context import AppContext


def calendar_panel(ctx: AppContext) -> Table | Text:
    """The panel's content for today (London)."""
    return calendar_table(schedule.upcoming(ctx, 8), schedule.today(ctx), bool(len(campaigns.campaigns_table(ctx))))


def calendar_table(upcoming: list[Occurrence], today: date, has_campaigns: bool) -> Table | Text:
    """Two lines per campaign: its name, then its dates (short words) and how soon (yellow while on now)."""
    if not upcoming:
        seed = ' Add the usual ones: ctrl+p, then "awareness" (or: bulletin-tui calendar seed)'
        hint = "" if has_campaigns else seed
        return Text(f"No awareness campaigns in the next 8 weeks.{hint}", style="dim")
    table = Table.grid(padding=(0, 1))
    for occurrence in upcoming:
        when = when_words(occurrence.span, today)
        usual = " · usual dates" if is_guess(occurrence) else ""
        table.add_row(
            Text.assemble((occurrence.campaign.name, "bold"), (usual, "dim"), overflow="ellipsis", no_wrap=True)
        )
        dates = span_words(occurrence.start, occurrence.end, short=True)
        table.add_row(Text.assemble(f"{dates} · ", (when, "yellow" if when.startswith("on now") else "cyan")))
    return table
