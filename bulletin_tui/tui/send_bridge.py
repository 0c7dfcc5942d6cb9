"""Campaigns as the dashboard, the send screen and the start-up check see them, read once per ledger change.

A 50,000-recipient ledger takes ~0.15 s to fold; the TUI asks often (every dashboard refresh), so each ledger's
summary is kept until the file's size or modification time changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..services.context import AppContext
from ..services.mailings.names import campaign_title
from ..services.mailings.runs import CampaignStatus, campaign_ledgers, campaign_status

_SUMMARIES: dict[Path, tuple[tuple[int, int], CampaignStatus]] = {}


@dataclass
class CampaignSummary:
    name: str
    sent: int
    failed: int
    uncertain: int
    to_send: int
    title: str = ""
    """What people call it (the issue's title and the lists' names), for the dashboard."""


def campaign_statuses(ctx: AppContext) -> list[CampaignStatus]:
    """Every campaign's status, most recently active first (re-read only when its ledger changed)."""
    found = []
    for path in campaign_ledgers(ctx):
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = _SUMMARIES.get(path)
        if cached is None or cached[0] != version:
            cached = _SUMMARIES[path] = (version, campaign_status(ctx, path.stem))
        found.append(cached[1])
    return sorted(found, key=lambda status: status.updated_at, reverse=True)


def recent_campaigns(ctx: AppContext) -> list[CampaignSummary]:
    """Every campaign with its counts, most recently active first."""
    return [
        CampaignSummary(c.name, c.counts.get("sent", 0), c.counts.get("failed", 0), c.counts.get("uncertain", 0),
                        c.to_send, campaign_title(ctx, c.campaign_id, c.meta))
        for c in campaign_statuses(ctx)
    ]


def interrupted_campaigns(ctx: AppContext) -> list[str]:
    """Campaigns that stopped with recipients still to send (closed mid-send, paused, or cancelled)."""
    return [c.name for c in recent_campaigns(ctx) if c.to_send]
