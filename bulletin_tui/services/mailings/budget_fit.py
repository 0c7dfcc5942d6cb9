"""Before a send over SMTP: the mailbox's budget left today and whether this send fits in it."""

from __future__ import annotations

from ...domain.errors import DomainError
from ..context import AppContext
from .audience import campaign_audience, choose_lists
from .runs import budget_today, campaign_status, ledger_path
from .send import campaign_id_for


def budget_notice(app_ctx: AppContext, issue: str, list_slug: list[str] | None, *, continuing: bool,
                  include_already_sent: bool) -> str:
    """Before a send over SMTP: the mailbox's budget left today and whether this send fits in it ('' for the
    outbox, or when the campaign cannot be opened: the send says why)."""
    if not app_ctx.settings.smtp.host:
        return ""
    budget = budget_today(app_ctx)
    if budget.left is None:
        return budget.plan(0)
    try:
        chosen = choose_lists(app_ctx, list_slug)
        campaign_id = campaign_id_for(issue, [d.slug for d in chosen])
        if continuing:
            to_send = campaign_status(app_ctx, campaign_id).to_send
        elif ledger_path(app_ctx, campaign_id).exists():
            return ""
        else:
            to_send = len(campaign_audience(app_ctx, issue, chosen, include_already_sent=include_already_sent,
                                            campaign_id=campaign_id)[0])
    except DomainError:
        return ""
    return budget.plan(to_send)
