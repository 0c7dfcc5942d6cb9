"""Read-only summaries the screens show, each figure from a service: the dashboard's panels and the pre-send
checks' outcome."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..domain.bulletins import BulletinIssue
from ..domain.sessions import InfoSession
from ..services.bulletins import issues as bulletins
from ..services.context import AppContext
from ..services.schedule.next_issue import next_issue
from ..services.sessions.catalogue import list_sessions, registration_tallies
from ..services.subscribers import lists
from ..services.subscribers.joiners import monthly_joiners
from .errors import EXPECTED_ERRORS, one_line_cause

if TYPE_CHECKING:
    from ..rendering.checks import Finding


@dataclass
class CheckOutcome:
    """An issue's pre-send findings (each knows its item and field), or why the checks could not run."""

    findings: list[Finding] = field(default_factory=list)
    unavailable: str = ""

    @property
    def passed(self) -> bool:
        return not self.unavailable and not bulletins.blocking(self.findings)

    def summary(self) -> str:
        if self.unavailable:
            return f"checks could not run: {self.unavailable}"
        errors = len(bulletins.blocking(self.findings))
        warnings = len(self.findings) - errors
        if not self.findings:
            return "all checks passed"
        return f"{errors} problem(s), {warnings} warning(s)"


def run_checks(ctx: AppContext, slug: str, list_slug: str | list[str] | None = None) -> CheckOutcome:
    """Run the issue's pre-send checks; a failure to run them is reported, not raised."""
    try:
        return CheckOutcome(bulletins.run_checks(ctx, slug, list_slug=list_slug))
    except (*EXPECTED_ERRORS, RuntimeError) as exc:
        return CheckOutcome(unavailable=one_line_cause(exc))


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
    counts = registration_tallies(ctx)
    lines = []
    for session in list_sessions(ctx):
        if session.start >= now and not session.cancelled:
            tally = counts.get(session.slug, Counter())
            lines.append(SessionLine(session, tally["confirmed"], tally["waitlisted"]))
    return lines[:limit]


def list_counts(ctx: AppContext) -> list[tuple[str, str, int]]:
    """(slug, name, subscribed count) per list in the order they were made, as `subscribers lists` counts them."""
    counts = lists.member_counts(ctx)
    return [(found.slug, found.name, counts[found.slug]["subscribed"]) for found in ctx.store.lists.all()]


def build_dashboard(ctx: AppContext) -> Dashboard:
    """Everything the dashboard shows (except the checks, which render the issue), one pass per collection."""
    return Dashboard(next_issue(ctx), None, upcoming_sessions(ctx), list_counts(ctx), monthly_joiners(ctx),
                     lists.people_count(ctx))


def month_label(key: str) -> str:
    """`2026-11` -> `Nov`."""
    return date(int(key[:4]), int(key[5:7]), 1).strftime("%b")
