"""Where the calendar's campaigns fall: a window from today, a year, a bulletin issue's month."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...domain.awareness import Occurrence, in_window, month_bounds, starting_in
from ...domain.times import LONDON
from ..context import AppContext
from .campaigns import list_campaigns


def today(ctx: AppContext) -> date:
    return ctx.clock.now().astimezone(LONDON).date()


def upcoming(ctx: AppContext, weeks: int = 8) -> list[Occurrence]:
    """Campaigns on now or starting in the next `weeks` weeks, soonest first."""
    start = today(ctx)
    return in_window(list_campaigns(ctx), start, start + timedelta(weeks=weeks))


def issue_month(slug: str) -> tuple[int, int] | None:
    """`2026-11` -> (2026, 11); an issue with any other slug has no month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", slug)
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    return int(match[1]), int(match[2])


def month_campaigns(ctx: AppContext, year: int, month: int) -> list[Occurrence]:
    """Campaigns with at least one day in the month: those to offer for that month's bulletin."""
    return in_window(list_campaigns(ctx), *month_bounds(year, month))


def starting_in_issue_month(ctx: AppContext, slug: str) -> list[Occurrence]:
    """Campaigns that start in the issue's month (none for an issue whose slug is not a month)."""
    month = issue_month(slug)
    return [] if month is None else starting_in(list_campaigns(ctx), *month)
