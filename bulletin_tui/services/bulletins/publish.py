"""`bulletin publish`: the archive as a static site that "View this bulletin online" links into.

    index.html          sent issues, newest first, grouped by financial year (April to March)
    ISSUE.html          one page per sent issue, at exactly the path the email links to ({archive_url}/ISSUE.html)
    sessions.ics        a METHOD:PUBLISH feed of upcoming public sessions (never a join link)
    sessions/SLUG.ics   one file per upcoming session and per session an archive page lists (its links)

Restricted items never appear: archive pages are always the general variant. Each page shows the issue as it was
sent (its date and the sessions that were upcoming then).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ...domain.bulletins import BulletinIssue, IssueStatus
from ...domain.clock import FixedClock
from ...domain.errors import DomainError
from ...domain.sessions import InfoSession, SessionStatus
from ...domain.times import LONDON, british_date, financial_year_of
from ...invites.ics import Organizer, publish_calendar, publish_feed
from ...rendering.environment import cached_environment
from ...rendering.prepare import render_template
from ...rendering.view import ACCESSIBILITY
from ...storage.atomic import atomic_write_bytes
from ..context import AppContext
from .prepare import prepare_issue

INDEX_TEMPLATE = "archive_index.html.j2"
FEED_NAME = "sessions.ics"


@dataclass(frozen=True)
class IndexEntry:
    href: str
    title: str
    sent: str


@dataclass(frozen=True)
class YearGroup:
    label: str
    slug: str
    issues: list[IndexEntry] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedSite:
    folder: Path
    files: list[Path]
    issues: int
    sessions: int


def issue_page_name(slug: str) -> str:
    """The file an issue's "View online" link points at, relative to `archive_url`."""
    return f"{slug}.html"


def sent_issues(ctx: AppContext) -> list[BulletinIssue]:
    """Sent issues, newest first."""
    sent = [i for i in ctx.store.issues if i.status is IssueStatus.SENT and i.sent_at is not None]
    return sorted(sent, key=lambda i: (i.sent_at, i.slug), reverse=True)


def year_groups(issues: list[BulletinIssue]) -> list[YearGroup]:
    """Issues (already newest first) under their financial year, newest year first."""
    groups: dict[str, YearGroup] = {}
    for issue in issues:
        assert issue.sent_at is not None
        label = financial_year_of(issue.sent_at.astimezone(LONDON).date())
        group = groups.setdefault(label, YearGroup(label, label.replace("/", "-")))
        group.issues.append(IndexEntry(issue_page_name(issue.slug), issue.title, british_date(issue.sent_at)))
    return list(groups.values())


def public_sessions(ctx: AppContext, now: datetime) -> list[InfoSession]:
    """Scheduled sessions that have not ended, soonest first: what the feed offers."""
    chosen = [s for s in ctx.store.sessions if s.status is SessionStatus.SCHEDULED and s.end > now]
    return sorted(chosen, key=lambda s: (s.start, s.slug))


def _index_html(ctx: AppContext, issues: list[BulletinIssue], has_sessions: bool) -> str:
    sender = ctx.settings.sender
    view: dict[str, Any] = {
        "team_name": sender.team_name, "team_email": sender.from_address, "telephone": sender.telephone,
        "accessibility": ACCESSIBILITY, "privacy_notice_url": sender.privacy_notice_url,
        "issue_count": len(issues), "years": year_groups(issues),
        "has_sessions": has_sessions, "sessions_href": FEED_NAME,
    }
    return render_template(cached_environment(ctx.settings.templates_dir), INDEX_TEMPLATE, v=view)


def site_files(ctx: AppContext) -> tuple[dict[str, bytes], int, int]:
    """(relative path -> bytes, issues, sessions) of the whole site."""
    issues = sent_issues(ctx)
    now = ctx.clock.now()
    organizer = Organizer(email=ctx.settings.sender.from_address, name=ctx.settings.sender.team_name)
    files: dict[str, bytes] = {}
    linked: set[str] = set()  # sessions an archive page lists: their .ics links must keep working
    for issue in issues:
        assert issue.sent_at is not None
        prepared = prepare_issue(replace(ctx, clock=FixedClock(issue.sent_at)), issue.slug)
        files[issue_page_name(issue.slug)] = prepared.archive_html.encode()
        linked.update(s.slug for s in prepared.view.sessions)
    sessions = public_sessions(ctx, now)
    for slug in sorted(linked | {s.slug for s in sessions}):
        found = ctx.store.sessions.get(slug)
        if found is not None:
            files[f"sessions/{slug}.ics"] = publish_calendar(found, organizer, stamp=now)
    files[FEED_NAME] = publish_feed(sessions, organizer, stamp=now)
    files["index.html"] = _index_html(ctx, issues, bool(sessions)).encode()
    return files, len(issues), len(sessions)


def publish_site(ctx: AppContext, folder: Path) -> PublishedSite:
    """Write the archive site into `folder` (each file atomically); returns what was written."""
    files, issue_count, session_count = site_files(ctx)
    written = []
    for name, data in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise DomainError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return PublishedSite(folder, written, issue_count, session_count)
