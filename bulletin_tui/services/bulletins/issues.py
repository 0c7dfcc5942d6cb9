"""Bulletin issues: create, list, check before sending, mark ready (items are assembled in assembly.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ...domain.bulletins import BulletinIssue, IssueStatus
from ...domain.errors import DomainError, NotFoundError
from ...domain.times import LONDON
from ..awareness.check import campaign_findings
from ..context import AppContext, one_write
from ..subscribers.lists import resolve_list

if TYPE_CHECKING:
    from ...rendering.checks import Finding


def list_issues(ctx: AppContext) -> list[BulletinIssue]:
    """All issues, newest slug first."""
    return sorted(ctx.store.issues.all(), key=lambda issue: issue.slug, reverse=True)


def get_issue(ctx: AppContext, slug: str) -> BulletinIssue:
    issue = ctx.store.issues.get(slug)
    if issue is None:
        raise NotFoundError(f"no bulletin issue '{slug}' (see: bulletin-tui bulletin list)")
    return issue


@one_write
def create_issue(ctx: AppContext, slug: str, title: str | None = None, intro: str = "") -> BulletinIssue:
    if slug in ctx.store.issues:
        raise DomainError(f"bulletin issue '{slug}' already exists")
    issue = BulletinIssue(slug=slug, title=title or default_title(slug), intro=intro, created_at=ctx.clock.now())
    return ctx.store.issues.put(issue)


def default_title(slug: str) -> str:
    """`2026-12` -> "Community Safety e-Bulletin, December 2026"; any other slug is named as it is."""
    try:
        month = datetime.strptime(slug, "%Y-%m")
    except ValueError:
        return f"Community Safety e-Bulletin {slug}"
    return f"Community Safety e-Bulletin, {month:%B %Y}"


@one_write
def update_issue(ctx: AppContext, slug: str, *, title: str | None = None, intro: str | None = None) -> BulletinIssue:
    """Change an unsent issue's title or introduction."""
    issue = get_issue(ctx, slug)
    if issue.status is IssueStatus.SENT:
        raise DomainError(f"issue {slug} was sent; start a new issue instead of changing it")
    changes = {key: value for key, value in (("title", title), ("intro", intro)) if value is not None}
    return ctx.store.issues.put(issue.model_validate(issue.model_dump() | changes))


def run_checks(ctx: AppContext, slug: str, *, list_slug: str | Sequence[str] | None = None) -> list[Finding]:
    """Every pre-send check for the variants this issue would be sent as (to some lists, by slug or name, or to
    all lists)."""
    from ...rendering.checks import Finding, check_items, check_prepared, check_restricted  # not at start-up
    from .prepare import load_issue, prepare_issue
    from .promotional import promotional_findings

    issue, items = load_issue(ctx, slug)
    today = ctx.clock.now().astimezone(LONDON).date()
    names = [list_slug] if isinstance(list_slug, str) else list(list_slug or [])
    lists = [resolve_list(ctx, name) for name in names] if names else ctx.store.lists.all()
    uncleared = sorted(d.slug for d in lists if not d.cleared_for_restricted)
    size_kb = ctx.settings.bulletin.size_warning_kb
    general = prepare_issue(ctx, slug)
    findings = [*check_items(items, today), *check_restricted(general, items, uncleared),
                *check_prepared(general, size_warning_kb=size_kb)]
    findings += campaign_findings(ctx, slug, items)
    findings += promotional_findings(ctx, items, lists)
    if not ctx.settings.sender.archive_url:
        findings.append(Finding("view-online", "sender.archive_url is not set, so the 'view online' link is "
                                "left out", "warning"))
    if any(item.restricted for item in items) and len(uncleared) < len(lists):
        restricted = prepare_issue(ctx, slug, restricted=True)
        findings += check_prepared(restricted, size_warning_kb=size_kb, label="restricted variant")
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    return [f for f in findings if not (f.line() in seen or seen.add(f.line()))]  # type: ignore[func-returns-value]


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "error"]


@one_write
def mark_ready(ctx: AppContext, slug: str, *, force: bool = False) -> BulletinIssue:
    """Mark an issue ready to send once its checks pass (`force` records an explicit override)."""
    issue = get_issue(ctx, slug)
    if issue.status is IssueStatus.SENT:
        raise DomainError(f"issue {slug} was already sent")
    errors = blocking(run_checks(ctx, slug))
    if errors and not force:
        raise DomainError(f"issue {slug} has {len(errors)} failing check(s): {errors[0].message}"
                          " (see: bulletin-tui bulletin check)")
    return ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.READY, "ready_at": ctx.clock.now()}))


@one_write
def reopen(ctx: AppContext, slug: str) -> BulletinIssue:
    """Back to draft for more changes (not once sent)."""
    issue = get_issue(ctx, slug)
    if issue.status is IssueStatus.SENT:
        raise DomainError(f"issue {slug} was already sent")
    return ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.DRAFT, "ready_at": None}))
