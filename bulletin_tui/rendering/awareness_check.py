"""The calendar check: an issue should mention each awareness campaign that starts in its month (a warning)."""

from __future__ import annotations

from ..domain.awareness import Occurrence, mentions
from ..domain.bulletins import BulletinItem
from .checks import Finding


def check_campaigns(items: list[BulletinItem], starting: list[Occurrence]) -> list[Finding]:
    """One warning per campaign starting in the issue's month that no item's title or summary names."""
    texts = [text for item in items for text in (item.title, item.summary)]
    return [
        Finding(
            "campaign-not-mentioned",
            f"awareness campaign '{occurrence.campaign.name}' starts this month "
            f"({occurrence.span.words()}) and no item mentions it",
            "warning",
        )
        for occurrence in starting
        if not mentions(occurrence.campaign, texts)
    ]
