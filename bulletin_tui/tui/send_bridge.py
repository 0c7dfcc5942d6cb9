"""The sending service as the TUI sees it: recent and interrupted campaigns (empty until sending is installed)."""

from __future__ import annotations

from dataclasses import dataclass

from ..services.context import AppContext


@dataclass
class CampaignSummary:
    name: str
    sent: int
    failed: int
    uncertain: int
    pending: int


def recent_campaigns(ctx: AppContext) -> list[CampaignSummary]:
    """The latest campaigns with their counts, newest first."""
    try:
        from ..services import send as send_service  # type: ignore[attr-defined]
    except ImportError:
        return []
    lister = getattr(send_service, "list_campaigns", None)
    if lister is None:
        return []
    return [_summary(c) for c in lister(ctx)]


def interrupted_campaigns(ctx: AppContext) -> list[str]:
    """Names of campaigns that stopped with recipients still to send."""
    return [c.name for c in recent_campaigns(ctx) if c.pending]


def _summary(raw: object) -> CampaignSummary:
    counts = getattr(raw, "counts", {}) or {}
    return CampaignSummary(
        name=str(getattr(raw, "name", getattr(raw, "campaign_id", raw))), sent=int(counts.get("sent", 0)),
        failed=int(counts.get("failed", 0)), uncertain=int(counts.get("uncertain", 0)),
        pending=int(counts.get("queued", 0)) + int(counts.get("deferred", 0)),
    )
