"""`bulletin-tui bulletin ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from ..services import bulletins
from .common import print_json, state

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List bulletin issues."""
    issues = bulletins.list_issues(state(ctx).context(read_only=True))
    if as_json:
        print_json([
            {"slug": i.slug, "title": i.title, "status": i.status.value, "items": len(i.item_ids),
             "sent_at": i.sent_at.isoformat() if i.sent_at else None}
            for i in issues
        ])
        return
    if not issues:
        typer.echo("No issues yet. Start one with: bulletin-tui bulletin new 2024-06")
    for i in issues:
        typer.echo(f"{i.slug:<12} {i.status.value:<6} {len(i.item_ids):>3} items  {i.title}")


@app.command("new")
def new(
    ctx: typer.Context, slug: str, title: Annotated[str | None, typer.Option("--title")] = None
) -> None:
    """Start a new issue (slug like 2024-06)."""
    issue = bulletins.create_issue(state(ctx).context(), slug, title)
    typer.echo(f"Created issue {issue.slug}: {issue.title}")
