"""`bulletin-tui sessions ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.sessions import SessionFormat
from ..domain.times import british_range, parse_clock, parse_local
from ..services import sessions
from .common import print_json, state

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List sessions in date order."""
    context = state(ctx).context(read_only=True)
    found = sessions.list_sessions(context)
    if as_json:
        rows = []
        for s in found:
            counts = sessions.registration_counts(context, s.slug)
            rows.append({
                "slug": s.slug, "title": s.title, "status": s.status.value, "kind": s.kind.value,
                "format": s.format.value, "start": s.local_start.isoformat(), "end": s.local_end.isoformat(),
                "capacity": s.capacity, "confirmed": counts["confirmed"], "waitlisted": counts["waitlisted"],
            })
        print_json(rows)
        return
    if not found:
        typer.echo("No sessions yet. Add one with: bulletin-tui sessions add SLUG --title ... --start ...")
    for s in found:
        typer.echo(f"{s.slug:<28} {s.status.value:<9} {british_range(s.start, s.end)}  {s.title}")


@app.command("add")
def add(
    ctx: typer.Context,
    slug: str,
    title: Annotated[str, typer.Option("--title")],
    start: Annotated[str, typer.Option("--start", help='"YYYY-MM-DD HH:MM", Europe/London')],
    end: Annotated[str, typer.Option("--end", help='"HH:MM" the same day')],
    capacity: Annotated[int | None, typer.Option("--capacity")] = None,
    format_: Annotated[SessionFormat, typer.Option("--format")] = SessionFormat.ONLINE,
) -> None:
    """Add a session."""
    starts = parse_local(start)
    hours, minutes = parse_clock(end)
    ends = parse_local(f"{starts:%Y-%m-%d} {hours:02d}:{minutes:02d}")
    session = sessions.create_session(
        state(ctx).context(), slug=slug, title=title, start=starts, end=ends, capacity=capacity, format=format_
    )
    typer.echo(f"Added session {session.slug}: {british_range(session.start, session.end)}")
