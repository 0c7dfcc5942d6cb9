"""How many people joined in each recent month: the dashboard's chart."""

from __future__ import annotations

from collections import Counter

from ...domain.times import LONDON
from ..context import AppContext


def month_keys(ctx: AppContext, months: int = 12) -> list[str]:
    """`YYYY-MM` of the last `months` calendar months in London, oldest first, ending with this one."""
    today = ctx.clock.now().astimezone(LONDON).date()
    keys, year, month = [], today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def monthly_joiners(ctx: AppContext, months: int = 12) -> list[tuple[str, int]]:
    """(month, people whose record was created that month) for the last `months` months, oldest first."""
    keys = month_keys(ctx, months)
    tally: Counter[str] = Counter(str(row.get("created_at", ""))[:7] for row in ctx.store.subscribers.rows())
    return [(key, tally[key]) for key in keys]
