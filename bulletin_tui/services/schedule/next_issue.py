"""Which bulletin is next: the one the dashboard shows. Always the same answer for the same data (it never flips
between two drafts): the unsent issue with the soonest scheduled send; else the unsent issue of the earliest month
from this one on (this month's draft before next month's); else the latest draft of a past month; else the last
issue sent."""

from __future__ import annotations

import re

from ...domain.bulletins import BulletinIssue, IssueStatus
from ...domain.times import LONDON
from ..context import AppContext
from .planning import upcoming

MONTH_SLUG = re.compile(r"^(\d{4}-\d{2})")


def issue_month(issue: BulletinIssue) -> str:
    """`2026-11` from a slug that starts with its month, else the month it was created in (London)."""
    found = MONTH_SLUG.match(issue.slug)
    return found[1] if found else f"{issue.created_at.astimezone(LONDON):%Y-%m}"


def next_issue(ctx: AppContext) -> BulletinIssue | None:
    """The next bulletin to send (see the module's rule), or the last one sent; None without any issue."""
    issues = ctx.store.issues.all()
    unsent = [i for i in issues if i.status is not IssueStatus.SENT]
    if not unsent:
        sent = [i for i in issues if i.sent_at is not None] or issues
        return max(sent, key=lambda i: (i.sent_at or i.created_at, i.slug), default=None)
    by_slug = {i.slug: i for i in unsent}
    scheduled = [(entry.at, entry.issue) for entry in upcoming(ctx) if entry.issue in by_slug]
    if scheduled:
        return by_slug[min(scheduled)[1]]
    this_month = f"{ctx.clock.now().astimezone(LONDON):%Y-%m}"
    due = [i for i in unsent if issue_month(i) >= this_month]
    if due:
        return min(due, key=lambda i: (issue_month(i), i.created_at, i.slug))
    return max(unsent, key=lambda i: (issue_month(i), i.created_at, i.slug))
