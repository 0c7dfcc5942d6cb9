"""Bulletin issues: create and list (assembly grows in services/assembly.py)."""

from __future__ import annotations

from ..domain.bulletins import BulletinIssue
from ..domain.errors import DomainError, NotFoundError
from .context import AppContext


def list_issues(ctx: AppContext) -> list[BulletinIssue]:
    """All issues, newest slug first."""
    return sorted(ctx.store.issues.all(), key=lambda issue: issue.slug, reverse=True)


def get_issue(ctx: AppContext, slug: str) -> BulletinIssue:
    issue = ctx.store.issues.get(slug)
    if issue is None:
        raise NotFoundError(f"no bulletin issue '{slug}' (see: bulletin-tui bulletin list)")
    return issue


def create_issue(ctx: AppContext, slug: str, title: str | None = None, intro: str = "") -> BulletinIssue:
    if slug in ctx.store.issues:
        raise DomainError(f"bulletin issue '{slug}' already exists")
    issue = BulletinIssue(
        slug=slug, title=title or f"Community Safety Bulletin {slug}", intro=intro, created_at=ctx.clock.now()
    )
    return ctx.store.issues.put(issue)
