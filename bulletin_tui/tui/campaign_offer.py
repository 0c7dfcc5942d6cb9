"""The new-issue flow's offer of the month's awareness campaigns (the modal), and adding the ticked ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.awareness import month_bounds
from ..services.awareness.schedule import issue_month, month_campaigns
from ..services.bulletins.calendar_items import add_campaign_items
from .messages import DataChanged
from .screens.campaign_pick import CampaignPickModal

if TYPE_CHECKING:
    from .screens.base import WorkScreen


def offer_campaigns(screen: WorkScreen, slug: str, *, quiet: bool = False) -> None:
    """Open the modal when the issue's month has campaigns; else say so. `quiet` (just after creating the issue):
    open it only when a campaign starts in the month (those the checks warn about), and say nothing otherwise."""
    month = issue_month(slug)
    offered = month_campaigns(screen.ctx, *month) if month else []
    if quiet and month is not None and not any(o.start >= month_bounds(*month)[0] for o in offered):
        return
    if not offered:
        if not quiet:
            reason = "is not a month (YYYY-MM)" if month is None else "has no awareness campaigns in the calendar"
            screen.notify(f"{slug} {reason}.")
        return
    assert month is not None
    modal = CampaignPickModal(slug, offered, month_bounds(*month)[0])
    screen.app.push_screen(modal, lambda chosen: _add(screen, slug, chosen))


def _add(screen: WorkScreen, slug: str, chosen: list[str] | None) -> None:
    if not chosen:
        return
    added = screen.attempt("Add campaigns", lambda: add_campaign_items(screen.ctx, slug, chosen))
    if added is None:
        return
    new = [entry.occurrence.campaign.name for entry in added if entry.item is not None]
    skipped = len(added) - len(new)
    note = f" ({skipped} already mentioned)" if skipped else ""
    screen.notify(f"Added {len(new)} campaign item(s) to {slug}{note}: check each one's dates and link.")
    screen.post_message(DataChanged("items"))
