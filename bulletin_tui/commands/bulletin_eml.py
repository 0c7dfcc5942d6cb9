"""`bulletin-tui bulletin add-item --from-eml FILE`: an item from an e-mail saved as a file."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import state


def add_from_eml(
    ctx: typer.Context, path: Path, issue: str | None, to_next: bool, category: str | None, keep: bool
) -> None:
    """Make the item (organisation from the partner registry when the sender is known) and say what it holds."""
    from ..services.inbox.accept import add_from_eml as make_item
    from ..services.inbox.drafts import describe

    done = make_item(state(ctx).context(), path, issue=issue, to_next=to_next, category=category, keep=keep)
    where = f"issue {done.issue}" if done.issue else "the backlog"
    typer.echo(f"Added item {done.item.id} to {where}")
    for line in describe(done.draft):
        typer.echo(f"  {line}")
    for kept in done.kept:
        typer.echo(f"  kept {kept}")
