"""Load an issue from the store and have it rendered once: the use case behind every render, check and send."""

from __future__ import annotations

from collections import Counter

from ...domain.bulletins import BulletinIssue, BulletinItem
from ...domain.errors import DomainError, NotFoundError
from ...domain.occurrences import DatePlaces, session_places, split_modes
from ...domain.sessions import InfoSession, RegistrationStatus
from ...rendering.prepare import PreparedIssue, render_issue
from ...rendering.view import IssueContent
from ..context import AppContext


def load_issue(ctx: AppContext, slug: str) -> tuple[BulletinIssue, list[BulletinItem]]:
    """The issue and its items in issue order; a dangling item id is an error, not a silent gap."""
    issue = ctx.store.issues.get(slug)
    if issue is None:
        raise NotFoundError(f"no bulletin issue '{slug}' (see: bulletin-tui bulletin list)")
    items = []
    for item_id in issue.item_ids:
        item = ctx.store.items.get(item_id)
        if item is None:
            raise DomainError(f"issue {slug}: item '{item_id}' no longer exists; remove it from the issue")
        items.append(item)
    return issue, items


def issue_content(ctx: AppContext, slug: str) -> IssueContent:
    """The issue, its items, the sessions and their confirmed counts, at the context's clock time."""
    issue, items = load_issue(ctx, slug)
    confirmed = Counter(row["session_slug"] for row in ctx.store.registrations.rows()
                        if row.get("status") == RegistrationStatus.CONFIRMED.value)
    sessions = ctx.store.sessions.all()
    return IssueContent(issue=issue, items=items, sessions=sessions, confirmed=confirmed, now=ctx.clock.now(),
                        date_places=date_places(ctx, sessions))


def date_places(ctx: AppContext, sessions: list[InfoSession]) -> dict[str, list[DatePlaces]]:
    """Each date's places for the sessions that have several dates or count hybrid places apart."""
    counted = [s for s in sessions if s.occurrences or any(split_modes(o) for o in s.dates())]
    if not counted:
        return {}
    registrations = ctx.store.registrations.all()
    return {s.slug: session_places(s, registrations) for s in counted}


def prepare_issue(ctx: AppContext, slug: str, *, restricted: bool = False) -> PreparedIssue:
    """Render the HTML email (inlined once), the plain text and the archive page of one variant."""
    return render_issue(issue_content(ctx, slug), ctx.settings, restricted=restricted)
