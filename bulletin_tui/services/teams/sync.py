"""Keep Teams in step with the sessions: a date whose title or time changed gets its meeting moved, a cancelled
session or date gets its meeting cancelled.

Nothing hooks into the session services: a meeting record keeps what Teams was last told, and `sync_meetings`
compares it with the session as it is now, whoever changed it (a command, the terminal app, the web face) and
whenever (a Graph outage only delays the change). The CLI runs it right after `sessions edit`, `cancel`,
`edit-occurrence` and `cancel-occurrence`; the worker runs it on each round. Meetings that were linked rather than
made here are never moved or cancelled: the run says so once, for a person to do in Teams.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ...domain.errors import DomainError
from ...domain.sessions import InfoSession
from ..context import AppContext
from . import api
from .graph import GraphClient
from .records import TeamsMeeting, label, meetings, update_meeting
from .wiring import graph_client


class Change(StrEnum):
    MOVE = "moved"
    CANCEL = "cancelled"
    DETACH = "no longer used"
    """The date's join link was changed by hand: the meeting is left alone (it may be the same one)."""


@dataclass
class Pending:
    meeting: TeamsMeeting
    change: Change
    view: InfoSession | None = None
    """The session as the meeting's date, for a move."""


@dataclass
class Synced:
    """What one meeting's sync did (`ok` False: Graph refused or failed; `note` says what and what to do)."""

    label: str
    change: Change
    ok: bool
    note: str = ""


@dataclass
class SyncRun:
    done: list[Synced] = field(default_factory=list)

    @property
    def failed(self) -> list[Synced]:
        return [item for item in self.done if not item.ok]

    def line(self) -> str:
        """One line for a log: counts, and the first failure (no names or addresses)."""
        if not self.done:
            return "Teams meetings in step"
        moved = sum(1 for s in self.done if s.ok and s.change is Change.MOVE)
        cancelled = sum(1 for s in self.done if s.ok and s.change is Change.CANCEL)
        text = f"Teams meetings: {moved} moved, {cancelled} cancelled, {len(self.failed)} failed"
        return text + (f" (first: {self.failed[0].note})" if self.failed else "")


def pending_changes(ctx: AppContext, slug: str | None = None) -> list[Pending]:
    """Meetings that Teams has differently from the session now (no Graph call)."""
    found = []
    for meeting in meetings(ctx):
        if meeting.cancelled_at is not None or (slug is not None and meeting.session_slug != slug):
            continue
        session = ctx.store.sessions.get(meeting.session_slug)
        date = session.occurrence(meeting.occurrence_id) if session is not None else None
        if session is None or date is None or session.cancelled or date.cancelled:
            found.append(Pending(meeting, Change.CANCEL))
        elif date.join_link != meeting.join_url:
            found.append(Pending(meeting, Change.DETACH))
        else:
            view = session.at(date)
            if (view.title, view.start, view.end) != (meeting.subject, meeting.start, meeting.end):
                found.append(Pending(meeting, Change.MOVE, view))
    return sorted(found, key=lambda p: (p.meeting.start, p.meeting.key))


def sync_meetings(ctx: AppContext, slug: str | None = None, *, graph: GraphClient | None = None) -> SyncRun:
    """Move or cancel in Teams what changed here; each meeting's outcome is recorded (a failure is retried on the
    next run). Graph is only asked when a meeting made here needs a change."""
    run = SyncRun()
    pending = pending_changes(ctx, slug)
    if graph is None and any(needs_graph(p) for p in pending):
        graph = graph_client(ctx.settings, ctx.data_dir)
    for item in pending:
        problem = tell_teams(graph, item) if needs_graph(item) else None
        run.done.append(settle(ctx, item, problem))
    return run


def needs_graph(item: Pending) -> bool:
    return item.meeting.made_here and item.change is not Change.DETACH


def tell_teams(graph: GraphClient | None, item: Pending) -> DomainError | None:
    """The Graph request for one change (no database access): None, or what Graph said."""
    try:
        if graph is None:
            raise DomainError("no Graph client")
        if item.change is Change.CANCEL:
            api.cancel(graph, item.meeting)
        elif item.view is not None:
            api.update(graph, item.meeting, item.view)
    except DomainError as exc:
        return exc
    return None


def settle(ctx: AppContext, item: Pending, problem: DomainError | None) -> Synced:
    """Record the outcome of one change (the database part)."""
    meeting, named = item.meeting, label(item.meeting.session_slug, item.meeting.occurrence_id)
    if problem is not None:
        update_meeting(ctx, meeting.key, last_problem=_one_line(problem))
        return Synced(named, item.change, False, str(problem))
    _record(ctx, item)
    if item.change is Change.DETACH:
        return Synced(named, item.change, True, "its join link was changed by hand: its Teams meeting is no longer "
                      "followed here (left as it is)")
    return Synced(named, item.change, True, "" if meeting.made_here else _not_ours(item.change))


def _record(ctx: AppContext, item: Pending) -> None:
    """What Teams now has (or, for a linked meeting, what the session now says)."""
    now = ctx.clock.now()
    update: dict[str, object] = {"last_problem": "", "synced_at": now}
    if item.change in (Change.CANCEL, Change.DETACH):
        update["cancelled_at"] = now
    elif item.view is not None:
        update.update(subject=item.view.title, start=item.view.start, end=item.view.end)
    update_meeting(ctx, item.meeting.key, **update)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:900]


def _not_ours(change: Change) -> str:
    verb = "cancel" if change is Change.CANCEL else "move"
    return f"its Teams meeting was linked, not made here: {verb} it in Teams or Outlook yourself"
