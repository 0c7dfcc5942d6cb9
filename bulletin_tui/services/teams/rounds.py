"""One round of Teams work for the worker, as a coroutine: Graph requests in a thread, every read and write of the
database on the caller's (event-loop) thread, like the worker's mailbox job. Returns one line for its log (counts
and the first failure; no names or addresses). Nothing to do costs no Graph request; Teams through Graph being
off (no `[teams] organiser`) costs nothing at all."""

from __future__ import annotations

import asyncio

from ...domain.errors import DomainError
from ..context import AppContext
from .attendance import AttendanceRun, due_meetings, fetch_one, settle
from .graph import GraphClient
from .sync import SyncRun, needs_graph, pending_changes, tell_teams
from .sync import settle as settle_change
from .wiring import graph_client, teams_enabled


async def teams_round(ctx: AppContext, *, graph: GraphClient | None = None) -> str:
    """Bring Teams in step with changed sessions, then take the attendance that is due."""
    if not teams_enabled(ctx.settings) and graph is None:
        return "Teams through Graph is off"
    ctx.store.refresh()
    pending = pending_changes(ctx)
    due = due_meetings(ctx)
    if not pending and not due:
        return "Teams: nothing to do"
    client = graph
    if client is None:
        try:
            client = await asyncio.to_thread(graph_client, ctx.settings, ctx.data_dir)
        except DomainError as exc:
            return f"Teams: {exc}"
    synced = SyncRun()
    for item in pending:
        problem = await asyncio.to_thread(tell_teams, client, item) if needs_graph(item) else None
        synced.done.append(settle_change(ctx, item, problem))
    taken = AttendanceRun()
    for meeting, date in due:
        fetched = await asyncio.to_thread(fetch_one, client, meeting, date)
        taken.dates.append(settle(ctx, meeting, date, fetched))
    return f"{synced.line()}; {taken.line()}"
