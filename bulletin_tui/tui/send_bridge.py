"""Campaigns as the dashboard and the start-up check see them: recent ones, and those left unfinished."""

from __future__ import annotations

from dataclasses import dataclass

from ..services.context import AppContext


@dataclass
class CampaignSummary:
    name: str
    sent: int
    failed: int
    uncertain: int
    to_send: int


def recent_campaigns(ctx: AppContext) -> list[CampaignSummary]:
    """Every campaign with its counts, most recently active first."""
    from ..services.campaigns import list_campaigns

    return [
        CampaignSummary(c.name, c.counts.get("sent", 0), c.counts.get("failed", 0), c.counts.get("uncertain", 0),
                        c.to_send)
        for c in list_campaigns(ctx)
    ]


def interrupted_campaigns(ctx: AppContext) -> list[str]:
    """Campaigns that stopped with recipients still to send (closed mid-send, paused, or cancelled)."""
    return [c.name for c in recent_campaigns(ctx) if c.to_send]
