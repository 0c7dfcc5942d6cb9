"""Read-only summaries the dashboard shows, computed from the services and the store's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..domain.bulletins import BulletinIssue
from ..domain.sessions import InfoSession
from ..services.context import AppContext
from ..services.schedule.next_issue import next_issue
from ..services.sessions.catalogue import list_sessions
from ..services.subscribers.joiners import monthly_joiners
from .check_bridge import CheckOutcome


@dataclass
class SessionLine:
    session: InfoSession
    confirmed: int
    waitlisted: int


@dataclass
class Dashboard:
    next_issue: BulletinIssue | None
    next_issue_checks: CheckOutcome | None
    upcoming: list[SessionLine]
    list_counts: list[tuple[str, str, int]]
    monthly_joiners: list[tuple[str, int]] = field(default_factory=list)
    subscriber_total: int = 0


def upcoming_sessions(ctx: AppContext, limit: int = 6) -> list[SessionLine]:
    """Scheduled sessions that have not started, soonest first, with their registration counts."""
    now = ctx.clock.now()
    counts: dict[str, Counter[str]] = {}
    for row in ctx.store.registrations.rows():
        counts.setdefault(row["session_slug"], Counter())[row["status"]] += 1
    lines = []
    for session in list_sessions(ctx):
        if session.start >= now and not session.cancelled:
            tally = counts.get(session.slug, Counter())
            lines.append(SessionLine(session, tally["confirmed"], tally["waitlisted"]))
    return lines[:limit]


def list_counts(ctx: AppContext) -> tuple[list[tuple[str, str, int]], int]:
    """(slug, name, subscribed count) per list, and the number of subscribers."""
    tally: Counter[str] = Counter()
    total = 0
    for row in ctx.store.subscribers.rows():
        total += 1
        for slug, membership in row.get("lists", {}).items():
            if membership.get("status") == "subscribed":
                tally[slug] += 1
    names = {dl.slug: dl.name for dl in ctx.store.lists.all()}
    slugs = list(names) + sorted(set(tally) - set(names))
    return [(slug, names.get(slug, slug), tally[slug]) for slug in slugs], total


def build_dashboard(ctx: AppContext) -> Dashboard:
    """Everything the dashboard shows (except the checks, which render the issue), one pass per collection."""
    counts, total = list_counts(ctx)
    return Dashboard(next_issue(ctx), None, upcoming_sessions(ctx), counts, monthly_joiners(ctx), total)


def month_label(key: str) -> str:
    """`2026-11` -> `Nov`."""
    return date(int(key[:4]), int(key[5:7]), 1).strftime("%b")
