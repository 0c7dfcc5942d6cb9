"""The calendar's pre-send check on an issue: campaigns starting in its month that no item mentions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.bulletins import BulletinItem
from ..context import AppContext
from .schedule import starting_in_issue_month

if TYPE_CHECKING:
    from ...rendering.checks import Finding


def campaign_findings(ctx: AppContext, slug: str, items: list[BulletinItem]) -> list[Finding]:
    """Warnings for campaigns starting in the issue's month that no item mentions."""
    from ...rendering.awareness_check import check_campaigns  # not at start-up

    return check_campaigns(items, starting_in_issue_month(ctx, slug))
