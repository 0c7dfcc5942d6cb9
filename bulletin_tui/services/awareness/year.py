"""The calendar as the commands show it: a year's dates of every campaign, whether they are past, on now or
upcoming, a campaign's next dates from today, and the campaigns of an issue's month not in it yet."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ...domain.awareness import AwarenessCampaign, DateSpan, Occurrence
from ..context import AppContext
from .campaigns import list_campaigns
from .schedule import issue_month, month_campaigns, today


def campaigns_of_year(ctx: AppContext, year: int) -> list[tuple[AwarenessCampaign, DateSpan | None]]:
    """Each campaign with its dates in `year` (None: none that year), by start date; those without dates last."""
    rows = [(campaign, campaign.span(year)) for campaign in list_campaigns(ctx)]
    rows.sort(key=lambda row: (row[1] is None, row[1].start if row[1] else date.max, row[0].name.casefold()))
    return rows


def span_status(span: DateSpan | None, on: date) -> str:
    """"past", "on now", "upcoming" on a day, or "no dates"."""
    if span is None:
        return "no dates"
    return "past" if span.end < on else "on now" if span.start <= on else "upcoming"


def next_span(ctx: AppContext, campaign: AwarenessCampaign) -> DateSpan | None:
    """The campaign's dates on now or still to come (this year's edition, else next year's), if any."""
    day = today(ctx)
    spans = [s for s in (campaign.span(day.year), campaign.span(day.year + 1)) if s and s.end >= day]
    return spans[0] if spans else None


def other_campaigns_of_month(ctx: AppContext, issue_slug: str, chosen: Collection[str]) -> list[Occurrence]:
    """The campaigns of the issue's month (a slug like 2024-06) besides those `chosen` (by slug); none for an
    issue of no month."""
    month = issue_month(issue_slug)
    if month is None:
        return []
    return [o for o in month_campaigns(ctx, *month) if o.campaign.slug not in chosen]
