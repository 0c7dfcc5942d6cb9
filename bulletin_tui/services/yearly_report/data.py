"""Facts for the financial-year KCST update: sessions delivered, bulletins sent, subscriber numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...domain.bulletins import BulletinIssue, IssueStatus
from ...domain.occurrences import session_places
from ...domain.sessions import InfoSession, RegistrationStatus
from ...domain.subscribers import subscribed_at
from ...domain.times import LONDON, financial_year, london_midnight
from ..aggregates.kept import bulletin_reach, kept_subscribers, session_figures
from ..context import AppContext
from ..sessions.registrations import registrations_for


@dataclass
class SessionLine:
    session: InfoSession
    registered: int
    attended: int | None  # None: attendance not recorded
    no_show: int | None = None  # None: nothing recorded (or figures kept before no-shows were)
    not_recorded: int | None = None  # confirmed people whose attendance nobody recorded
    dates: list[datetime] = field(default_factory=list)
    """The starts of its dates (not cancelled) when it ran on several; empty for a single-date session."""
    places: int | None = None
    """Places over all its dates (None: no limit), for a session on several dates."""


@dataclass
class BulletinLine:
    issue: BulletinIssue
    items: int
    headlines: list[str]
    recipients: int | None  # people reached (each once); None: no send ledger (sent before this tool, or by hand)
    messages: int | None = None  # messages accepted by the server (a person sent it by two campaigns counts twice)


@dataclass
class YearFacts:
    label: str
    first_day: date
    last_day: date
    delivered: list[SessionLine] = field(default_factory=list)
    planned: list[SessionLine] = field(default_factory=list)
    cancelled: list[InfoSession] = field(default_factory=list)
    bulletins: list[BulletinLine] = field(default_factory=list)
    subscribers_start: int = 0
    subscribers_end: int = 0
    counted_until: date | None = None  # the day the end count is for (today, while the year is in progress)

    @property
    def in_progress(self) -> bool:
        return self.counted_until is not None and self.counted_until < self.last_day


def _session_line(ctx: AppContext, session: InfoSession) -> SessionLine:
    regs = [r for r in registrations_for(ctx, session.slug) if r.status is not RegistrationStatus.CANCELLED]
    figures = session_figures(ctx, session.slug)  # kept counts once the registrations are gone (retention)
    line = SessionLine(session, figures.registered, figures.attended, no_show=figures.no_show,
                       not_recorded=figures.not_recorded)
    if session.occurrences:
        held = [d for d in session_places(session, regs) if not d.occurrence.cancelled]
        line.dates = [d.occurrence.start for d in held]
        line.places = None if any(d.capacity is None for d in held) else sum(d.capacity or 0 for d in held)
    return line


def _bulletin_line(ctx: AppContext, issue: BulletinIssue) -> BulletinLine:
    titles = [item.title for item in (ctx.store.items.get(i) for i in issue.item_ids) if item is not None]
    return BulletinLine(issue, len(issue.item_ids), titles[:3], *bulletin_reach(ctx, issue.slug))


def year_facts(ctx: AppContext, label: str) -> YearFacts:
    """Everything the report says about one April-March year."""
    first, last = financial_year(label)
    starts, ends = london_midnight(first), london_midnight(last + timedelta(days=1))
    facts = YearFacts(label, first, last)
    now = ctx.clock.now()
    for session in sorted(ctx.store.sessions, key=lambda s: s.start):
        if not starts <= session.start < ends:
            continue
        if session.cancelled:
            facts.cancelled.append(session)
        else:
            (facts.delivered if session.start <= now else facts.planned).append(_session_line(ctx, session))
    sent = [i for i in ctx.store.issues if i.status is IssueStatus.SENT and i.sent_at and starts <= i.sent_at < ends]
    facts.bulletins = [_bulletin_line(ctx, issue) for issue in sorted(sent, key=lambda i: i.sent_at or now)]
    people = ctx.store.subscribers.all()
    removed_start, removed_end = kept_subscribers(ctx, label)  # people removed since who counted then
    facts.subscribers_start = removed_start + sum(1 for p in people if subscribed_at(p, starts))
    facts.subscribers_end = removed_end + sum(1 for p in people if subscribed_at(p, min(ends, now)))
    facts.counted_until = min(last, now.astimezone(LONDON).date())
    return facts
