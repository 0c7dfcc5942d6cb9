"""`bulletin new` and the awareness calendar: the month's campaigns are listed, and added as items when asked."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from ..domain.awareness import is_guess
from ..services.awareness.year import other_campaigns_of_month
from ..services.bulletins.calendar_items import AddedCampaign, new_issue_with_campaigns
from ..services.bulletins.issues import get_issue
from ..services.context import AppContext


def create_with_campaigns(
    ctx: AppContext, slug: str, title: str | None, intro: str, names: Sequence[str] | None
) -> None:
    """Create the issue with the chosen campaigns' items (`names` None: all of the month's), then say what else
    the month holds."""
    added = new_issue_with_campaigns(ctx, slug, title, intro, names)
    typer.echo(f"Created issue {slug}: {get_issue(ctx, slug).title}")
    for entry in added:
        _echo_added(entry)
    offered = other_campaigns_of_month(ctx, slug, {entry.occurrence.campaign.slug for entry in added})
    if offered:
        typer.echo("Awareness campaigns this month (add with --add-campaigns, or --campaign NAME):")
        for occurrence in offered:
            typer.echo(f"  {occurrence.campaign.name}: {occurrence.span.words()}")
        typer.echo(f"  (or later: bulletin-tui bulletin add-campaigns {slug} [--campaign NAME])")


def _echo_added(entry: AddedCampaign) -> None:
    name = entry.occurrence.campaign.name
    if entry.item is None:
        typer.echo(f"  {name}: an item already mentions it; nothing added")
        return
    guess = " (the usual dates: check the organiser's before sending)" if is_guess(entry.occurrence) else ""
    typer.echo(f"  Added item {entry.item.id}: {name}, {entry.occurrence.span.words()}{guess}")


def add_to_issue(ctx: AppContext, slug: str, names: Sequence[str] | None) -> None:
    """`bulletin add-campaigns`: the month's campaigns (all, or those named) added to an existing issue."""
    from ..services.bulletins.calendar_items import add_campaign_items

    added = add_campaign_items(ctx, slug, names)
    if not added:
        typer.echo(f"No awareness campaigns fall in {slug} (see: bulletin-tui awareness list)")
    for entry in added:
        _echo_added(entry)
