"""`subscribers unsuppress --mailing ID`: lift the suppressions one mailing's bounces created."""

from __future__ import annotations

from ...domain.errors import NotFoundError
from ...domain.subscribers import SuppressionEntry
from ..context import AppContext
from ..subscribers.suppression import lift_campaign
from .runs import ledger_path


def lift_campaign_bounces(ctx: AppContext, campaign_id: str) -> list[SuppressionEntry]:
    """The suppressions lifted (never an erasure or an unsubscribe); NotFoundError for a campaign that neither
    ran here nor left a suppression."""
    lifted = lift_campaign(ctx, campaign_id)
    if not lifted and not ledger_path(ctx, campaign_id).exists():
        raise NotFoundError(f"no mailing {campaign_id} and no suppressions recorded for it "
                            "(see: bulletin-tui mailings list)")
    return lifted
