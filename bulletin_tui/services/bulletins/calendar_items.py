"""Bulletin items from the awareness calendar: a month's campaigns offered to its issue (`awareness.check` checks
they are there)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...domain.awareness import Occurrence, mentions
from ...domain.bulletins import BulletinItem
from ...domain.errors import DomainError
from ..awareness.campaigns import find_campaign
from ..awareness.schedule import issue_month, month_campaigns
from ..context import AppContext
from .assembly import add_item, issue_items
from .issues import create_issue


@dataclass(frozen=True)
class AddedCampaign:
    occurrence: Occurrence
    item: BulletinItem | None
    """None when an item of the issue already mentions the campaign (nothing was added)."""


def item_fields(occurrence: Occurrence) -> dict[str, object]:
    """What an item about one edition of a campaign says (staff edit it as they would any item)."""
    campaign, span = occurrence.campaign, occurrence.span
    when = f"is on {span.words()}" if span.start == span.end else f"runs from {span.words()}"
    return {
        "title": campaign.name,
        "category": "campaign",
        "summary": f"{campaign.name} {when}.",
        "link": campaign.link,
        "link_text": f"More about {campaign.name}" if campaign.link else "",
        "topics": list(campaign.topics),
    }


def chosen_occurrences(ctx: AppContext, slug: str, names: Sequence[str] | None) -> list[Occurrence]:
    """The campaigns of the issue's month that `names` picks (all of them for None)."""
    if names is not None and not names:
        return []
    month = issue_month(slug)
    if month is None:
        raise DomainError(f"issue '{slug}' is not a month (YYYY-MM), so it has no campaigns to offer")
    offered = month_campaigns(ctx, *month)
    if names is None:
        return offered
    picked = []
    for name in names:
        campaign = find_campaign(ctx, name)
        found = next((o for o in offered if o.campaign.slug == campaign.slug), None)
        if found is None:
            raise DomainError(f"campaign '{campaign.name}' does not fall in {slug} (see: bulletin-tui awareness list)")
        picked.append(found)
    return picked


def add_campaign_items(ctx: AppContext, slug: str, names: Sequence[str] | None = None) -> list[AddedCampaign]:
    """Add an item for each chosen campaign of the issue's month (all for None) in one write; a campaign an item
    already mentions is skipped."""
    chosen = chosen_occurrences(ctx, slug, names)
    added = []
    with ctx.store.transaction():
        for occurrence in chosen:
            items = issue_items(ctx, slug)
            if mentions(occurrence.campaign, [text for item in items for text in (item.title, item.summary)]):
                added.append(AddedCampaign(occurrence, None))
                continue
            added.append(AddedCampaign(occurrence, add_item(ctx, slug, **item_fields(occurrence))))
    return added


def new_issue_with_campaigns(
    ctx: AppContext, slug: str, title: str | None, intro: str, names: Sequence[str] | None
) -> list[AddedCampaign]:
    """Create an issue and add the chosen campaigns of its month, all or nothing."""
    with ctx.store.transaction():
        create_issue(ctx, slug, title, intro)
        return add_campaign_items(ctx, slug, names)

