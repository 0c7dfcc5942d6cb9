"""A Teams meeting for a session: made with the session (`sessions add --teams`), made for the dates of an existing
session, or an existing meeting linked. The join link is written through the session services (`create_session`,
`edit_session`, `edit_occurrence`), so it reaches registrants exactly as a link typed by hand would: only in their
own invites, with an update to everyone already confirmed. Graph is called before the write, never inside it; a
write that fails afterwards cancels the meeting just made."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ...domain.errors import DomainError, describe_validation_error
from ...domain.occurrences import choose_occurrence
from ...domain.sessions import InfoSession, Occurrence, SessionFormat
from ...domain.text import link
from ..context import AppContext
from ..sessions.catalogue import create_session, edit_session, get_session, new_uid
from ..sessions.occurrences import edit_occurrence
from . import api
from .graph import GraphClient
from .records import MeetingKind, TeamsMeeting, label, meeting_key, meetings
from .wiring import graph_client, organiser


@dataclass
class MeetingMade:
    """A meeting made or linked for one date, and how many confirmed people were sent the link in an update."""

    session: InfoSession
    meeting: TeamsMeeting
    notified: int = 0


def add_session_with_teams(ctx: AppContext, *, graph: GraphClient | None = None, **fields: Any) -> MeetingMade:
    """Create an online or hybrid session together with its Teams meeting (one write, after Graph made it)."""
    slug = str(fields["slug"])
    if fields.get("join_link"):
        raise DomainError("a session made with a Teams meeting gets its join link from Teams: leave out --link")
    if fields.get("format") is SessionFormat.IN_PERSON:
        raise DomainError("a Teams meeting is for an online or hybrid session (--format online or hybrid)")
    if slug in ctx.store.sessions:
        raise DomainError(f"session '{slug}' already exists")
    uid = new_uid(ctx, slug)
    proposed = _validated({**fields, "uid": uid, "created_at": ctx.clock.now()})
    client = graph or graph_client(ctx.settings, ctx.data_dir)
    made = api.create(client, organiser(ctx.settings), _kind(ctx), proposed)
    with _cancelled_on_failure(client, ctx, made, proposed, ""), ctx.store.transaction():
        session = create_session(ctx, **{**fields, "uid": uid, "join_link": made.join_url})
        record = meetings(ctx).put(_record(ctx, made, session, ""))
    return MeetingMade(session, record)


def create_meetings(ctx: AppContext, slug: str, occurrence: str | None = None, *,
                    graph: GraphClient | None = None) -> list[MeetingMade]:
    """Make a Teams meeting for each online or hybrid date of a session that has none (or the one date given)."""
    session = _open_session(ctx, slug)
    dates = _dates_without_meeting(ctx, session, occurrence)
    client = graph or graph_client(ctx.settings, ctx.data_dir)
    done = []
    for date in dates:
        view = session.at(date)
        made = api.create(client, organiser(ctx.settings), _kind(ctx), view)
        with _cancelled_on_failure(client, ctx, made, view, date.id), ctx.store.transaction():
            done.append(_store(ctx, slug, date, made))
    return done


def link_meeting(ctx: AppContext, slug: str, join_url: str, occurrence: str | None = None, *,
                 graph: GraphClient | None = None) -> MeetingMade:
    """Link a meeting made in Teams or Outlook by its join link (its organiser must be [teams] organiser, so its
    attendance can be read); the session gets that link. Linked meetings are never moved or cancelled from here."""
    try:
        url = link(join_url)
    except ValueError as exc:
        raise DomainError(f"join link: {exc}") from None
    session = _open_session(ctx, slug)
    date = choose_occurrence(session, occurrence)
    existing = meetings(ctx).get(meeting_key(slug, date.id))
    if existing is not None and existing.cancelled_at is None:
        raise DomainError(f"{label(slug, date.id)} already has a Teams meeting ({existing.kind.value})")
    client = graph or graph_client(ctx.settings, ctx.data_dir)
    who = organiser(ctx.settings)
    made = api.Made(MeetingKind.LINKED, url, online_meeting_id=api.find_meeting_id(client, who, url))
    with ctx.store.transaction():
        return _store(ctx, slug, date, made)


def _store(ctx: AppContext, slug: str, date: Occurrence, made: api.Made) -> MeetingMade:
    """Inside a transaction: the date's join link through the session services, and the meeting record."""
    notified = 0
    if date.join_link != made.join_url:
        if date.id:
            notified = len(edit_occurrence(ctx, slug, date.id, join_link=made.join_url).notified)
        else:
            notified = len(edit_session(ctx, slug, join_link=made.join_url).notified)
    session = get_session(ctx, slug)
    record = meetings(ctx).put(_record(ctx, made, session, date.id))
    return MeetingMade(session, record, notified)


def _record(ctx: AppContext, made: api.Made, session: InfoSession, occurrence_id: str) -> TeamsMeeting:
    date = session.occurrence(occurrence_id) or session.dates()[0]
    now = ctx.clock.now()
    return TeamsMeeting(session_slug=session.slug, occurrence_id=occurrence_id, kind=made.kind,
                        organiser=organiser(ctx.settings), event_id=made.event_id,
                        online_meeting_id=made.online_meeting_id, join_url=made.join_url, subject=session.title,
                        start=date.start, end=date.end, created_at=now, synced_at=now)


def _open_session(ctx: AppContext, slug: str) -> InfoSession:
    session = get_session(ctx, slug)
    if session.cancelled:
        raise DomainError(f"session '{slug}' is cancelled")
    return session


def _dates_without_meeting(ctx: AppContext, session: InfoSession, occurrence: str | None) -> list[Occurrence]:
    wanted = [choose_occurrence(session, occurrence)] if occurrence else session.dates()
    found = []
    for date in wanted:
        named = label(session.slug, date.id)
        existing = meetings(ctx).get(meeting_key(session.slug, date.id))
        if date.cancelled or (existing is not None and existing.cancelled_at is None):
            if occurrence:
                raise DomainError(f"{named} is cancelled" if date.cancelled else f"{named} has a Teams meeting")
            continue
        if date.format is SessionFormat.IN_PERSON:
            if occurrence:
                raise DomainError(f"{named} is in person; a Teams meeting is for online or hybrid dates")
            continue
        if date.join_link:
            raise DomainError(f"{named} already has a join link: link its meeting instead (bulletin-tui sessions "
                              f"teams-link {session.slug} URL), or remove the link first")
        found.append(date)
    if not found:
        raise DomainError(f"session '{session.slug}' has no online or hybrid date without a Teams meeting")
    return found


@contextlib.contextmanager
def _cancelled_on_failure(graph: GraphClient, ctx: AppContext, made: api.Made, view: InfoSession,
                          date_id: str) -> Iterator[None]:
    """Cancel the meeting just made when what follows fails (nothing half-done is left in Teams)."""
    try:
        yield
    except BaseException:
        record = TeamsMeeting(session_slug=view.slug, occurrence_id=date_id, kind=made.kind,
                              organiser=organiser(ctx.settings), event_id=made.event_id,
                              online_meeting_id=made.online_meeting_id, join_url=made.join_url,
                              start=view.start, end=view.end, created_at=ctx.clock.now())
        with contextlib.suppress(DomainError):  # the original failure is what the caller needs to hear
            api.cancel(graph, record)
        raise


def _kind(ctx: AppContext) -> MeetingKind:
    return MeetingKind.ONLINE_MEETING if ctx.settings.teams.create_with == "online_meeting" else MeetingKind.EVENT


def _validated(data: dict[str, Any]) -> InfoSession:
    try:
        return InfoSession.model_validate(data)
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc, prefix="session ")) from None
