"""The values a template sees: an issue's sections, item cards and upcoming sessions, already made safe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from ..domain.bulletins import BulletinIssue, BulletinItem, Category
from ..domain.occurrences import DatePlaces, dates_summary, places_phrase
from ..domain.sessions import InfoSession, SessionFormat, SessionStatus, places_left
from ..domain.times import LONDON, british_date, british_range
from ..invites.links import google_calendar_link, outlook_calendar_link
from .markdown import markdown_html, markdown_text

if TYPE_CHECKING:
    from ..config import BulletinSettings, SenderSettings

ACCESSIBILITY = "This document is available in other formats; please contact the KCST by email or telephone."
PREHEADER_LIMIT = 110


@dataclass(frozen=True)
class IssueContent:
    """What one issue's rendering reads, loaded by the caller (the bulletins service): no store here."""

    issue: BulletinIssue
    items: list[BulletinItem]
    sessions: list[InfoSession]
    """Every session; the view picks the upcoming ones."""
    confirmed: Mapping[str, int]
    """Confirmed registrations per session slug (for "places left")."""
    now: datetime
    date_places: Mapping[str, list[DatePlaces]] = field(default_factory=dict)
    """Each date's places, per slug of a session on several dates or with in-person and online places apart."""


@dataclass(frozen=True)
class ItemView:
    id: str
    title: str
    summary_html: Markup
    summary_text: str
    summary_links: list[tuple[int, str]]
    link: str | None
    link_text: str
    source: str
    closing_text: str
    closed: bool
    restricted: bool


@dataclass(frozen=True)
class SectionView:
    slug: str
    heading: str
    items: list[ItemView]


@dataclass(frozen=True)
class SessionView:
    slug: str
    title: str
    kind: str
    when: str
    where: str
    description: str
    speakers: str
    places: str
    register_url: str
    google_url: str
    outlook_url: str
    ics_url: str | None
    dates: list[str] = field(default_factory=list)
    """A session on several dates: each date to come with its places ("Tuesday 2 March 2027, 9.30 am to 4 pm:
    12 places left")."""


@dataclass(frozen=True)
class IssueView:
    slug: str
    title: str
    date_text: str
    preheader: str
    intro_html: Markup
    intro_text: str
    intro_links: list[tuple[int, str]]
    team_name: str
    team_email: str
    telephone: str
    accessibility: str
    archive_url: str | None
    restricted: bool
    sections: list[SectionView]
    sessions: list[SessionView] = field(default_factory=list)
    privacy_notice_url: str = ""

    @property
    def items(self) -> list[ItemView]:
        return [item for section in self.sections for item in section.items]


def item_view(item: BulletinItem, today: date) -> ItemView:
    """One item card: Markdown made safe, closing date in words, past-closing flag."""
    links: list[str] = []
    summary_text = markdown_text(item.summary, links)
    closing_text = ""
    if item.closing_date:
        when = british_date(item.closing_date)
        closing_text = f"Closed on {when}" if item.closing_date < today else f"Closing date: {when}"
    return ItemView(
        id=item.id, title=item.title, summary_html=Markup(markdown_html(item.summary)), summary_text=summary_text,
        summary_links=list(enumerate(links, start=1)), link=item.link,
        link_text=item.link_text or f"Read more: {item.title}", source=item.source_organisation,
        closing_text=closing_text, closed=bool(item.closing_date and item.closing_date < today),
        restricted=item.restricted,
    )


def build_sections(items: list[BulletinItem], today: date, *, restricted: bool) -> list[SectionView]:
    """Items grouped under their category headings, in category order then issue order."""
    visible = [item for item in items if restricted or not item.restricted]
    sections = []
    for category in Category:
        chosen = [item_view(item, today) for item in visible if item.category is category]
        if chosen:
            sections.append(SectionView(slug=category.value, heading=category.heading, items=chosen))
    return sections


def upcoming(sessions: list[InfoSession], now: datetime, days: int) -> list[InfoSession]:
    """Scheduled sessions with a date starting between now and `days` days ahead, soonest first."""
    horizon = now + timedelta(days=days)

    def next_start(session: InfoSession) -> datetime | None:
        starts = [o.start for o in session.dates() if not o.cancelled and now <= o.start]
        return min(starts, default=None)

    chosen = [(start, s) for s in sessions if s.status is SessionStatus.SCHEDULED
              and (start := next_start(s)) is not None and start <= horizon]
    return [s for _, s in sorted(chosen, key=lambda pair: (pair[0], pair[1].slug))]


def session_view(session: InfoSession, team_email: str, archive_url: str | None, confirmed: int = 0,
                 dates: list[DatePlaces] | None = None, now: datetime | None = None) -> SessionView:
    """A session listing with speakers, places left, how to register, web calendar links and its .ics; a session
    on several dates lists the dates to come with their places."""
    if session.occurrences and dates is not None and now is not None:
        return _several_dates_view(session, team_email, archive_url, dates, now)
    where = _where(session)
    subject = f"Register: {session.title} ({british_date(session.start)})"
    places = _places(session.capacity, confirmed)
    if dates and dates[0].by_mode:  # hybrid, in-person and online places counted apart
        places = _split_places(dates[0])
    return SessionView(
        slug=session.slug, title=session.title, kind=session.kind.value,
        when=british_range(session.start, session.end), where=where, description=session.description,
        speakers=_speakers(session), places=places,
        register_url=f"mailto:{team_email}?subject={quote(subject)}",
        google_url=google_calendar_link(session), outlook_url=outlook_calendar_link(session),
        ics_url=f"{archive_url}/sessions/{session.slug}.ics" if archive_url else None,
    )


def _several_dates_view(session: InfoSession, team_email: str, archive_url: str | None, dates: list[DatePlaces],
                        now: datetime) -> SessionView:
    """"4 dates, 12 places left", each date listed; calendar files carry every date (one event each)."""
    to_come = [d for d in dates if not d.occurrence.cancelled and d.occurrence.start >= now]
    first, last = to_come[0].occurrence, to_come[-1].occurrence
    when = british_range(first.start, first.end) if len(to_come) == 1 else (
        f"{british_date(first.start)} to {british_date(last.start)}")
    subject = f"Register: {session.title} (which date?)"
    return SessionView(
        slug=session.slug, title=session.title, kind=session.kind.value, when=when,
        where=_where(session.at(first)), description=session.description, speakers=_speakers(session),
        places=dates_summary(to_come) + ".", register_url=f"mailto:{team_email}?subject={quote(subject)}",
        google_url="", outlook_url="", ics_url=f"{archive_url}/sessions/{session.slug}.ics" if archive_url else None,
        dates=[f"{d.label}: {places_phrase(d)}" for d in to_come],
    )


def _split_places(places: DatePlaces) -> str:
    """"In person: full; online: 40 places left." for a hybrid session that counts them apart."""
    phrase = places_phrase(places)
    return phrase[:1].upper() + phrase[1:] + "."


def _speakers(session: InfoSession) -> str:
    """"With Sam Speaker and Alex Analyst (Kent Police, KCC)", or "" when none are named yet."""
    if not session.speakers:
        return ""
    names = " and ".join(session.speakers) if len(session.speakers) <= 2 else (
        ", ".join(session.speakers[:-1]) + " and " + session.speakers[-1])
    return f"With {names}" + (f" ({', '.join(session.organisations)})" if session.organisations else "")


def _places(capacity: int | None, confirmed: int) -> str:
    """Only worth saying when places are short: full, or ten or fewer left."""
    left = places_left(capacity, confirmed)
    if left is None or left > 10:
        return ""
    if left == 0:
        return "Fully booked: register to join the waiting list."
    return f"{left} place{'s' if left != 1 else ''} left."


def _where(session: InfoSession) -> str:
    venue = session.venue or "venue to be confirmed"
    if session.format is SessionFormat.IN_PERSON:
        return f"In person: {venue}"
    if session.format is SessionFormat.HYBRID:
        return f"Hybrid: online or in person at {venue}"
    return "Online (joining details are sent when you register)"


def issue_view(content: IssueContent, sender: SenderSettings, options: BulletinSettings, *, restricted: bool) -> (
    IssueView
):
    """Everything the HTML, text and archive templates need for one variant of an issue."""
    issue, now = content.issue, content.now
    today = now.astimezone(LONDON).date()
    archive = sender.archive_url.rstrip("/") or None
    sections = build_sections(content.items, today, restricted=restricted)
    intro_links: list[str] = []
    sessions = [session_view(s, sender.from_address, archive, content.confirmed.get(s.slug, 0),
                             content.date_places.get(s.slug), now)
                for s in upcoming(content.sessions, now, options.upcoming_sessions_days)]
    return IssueView(
        slug=issue.slug, title=issue.title, date_text=british_date(issue.sent_at or now),
        preheader=_preheader(issue, sections, sessions), intro_html=Markup(markdown_html(issue.intro)),
        intro_text=markdown_text(issue.intro, intro_links), intro_links=list(enumerate(intro_links, start=1)),
        team_name=sender.team_name, team_email=sender.from_address,
        telephone=sender.telephone, accessibility=ACCESSIBILITY,
        archive_url=f"{archive}/{issue.slug}.html" if archive else None,
        restricted=restricted, sections=sections, sessions=sessions, privacy_notice_url=sender.privacy_notice_url,
    )


def _preheader(issue: BulletinIssue, sections: list[SectionView], sessions: list[SessionView]) -> str:
    """The inbox preview line: what this issue contains."""
    titles = [item.title for section in sections for item in section.items]
    titles += ["upcoming sessions"] if sessions else []
    text = "In this issue: " + "; ".join(titles) if titles else issue.title
    return text if len(text) <= PREHEADER_LIMIT else text[: PREHEADER_LIMIT - 1].rsplit(" ", 1)[0] + "…"
