"""`bulletin-tui awareness ...` (was `calendar`, a hidden alias for one release): the awareness calendar (rules and
a year's dates: docs/awareness-calendar.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from ..domain.awareness import AwarenessCampaign, DateSpan, Occurrence, is_guess, when_words
from ..services.awareness import campaigns as calendar
from ..services.awareness import schedule
from ..services.awareness.seed import seed_campaigns
from ..services.awareness.year import campaigns_of_year, next_span, span_status
from ..services.context import AppContext
from .common import print_json, state

HELP = "The awareness calendar: campaigns of the team's year, their rules and dates."
app = typer.Typer(no_args_is_help=True, help=HELP)
Opt = typer.Option
RULE_HELP = (
    "When it usually runs: 'January', '25 Nov to 10 Dec', 'third Monday of November for 7 days', "
    "'second week of October' ('' for none: recorded dates only)."
)


def _row(campaign: AwarenessCampaign, span: DateSpan | None, today: date) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.name,
        "status": span_status(span, today),
        "start": span.start.isoformat() if span else None,
        "end": span.end.isoformat() if span else None,
        "dates_recorded": span in campaign.dates if span else False,
        "rule": campaign.rule.text() if campaign.rule else None,
        "short_names": campaign.short_names,
        "link": campaign.link,
        "topics": campaign.topics,
        "note": campaign.note,
        "recorded_dates": [{"start": d.start.isoformat(), "end": d.end.isoformat()} for d in campaign.dates],
    }


@app.command("list")
def list_(
    ctx: typer.Context,
    year: Annotated[int | None, Opt("--year", help="Default: this year.")] = None,
    as_json: Annotated[bool, Opt("--json")] = False,
) -> None:
    """Every campaign with its rule and its dates in a year."""
    app_ctx = state(ctx).context(read_only=True)
    today = schedule.today(app_ctx)
    year = year or today.year
    rows = campaigns_of_year(app_ctx, year)
    if as_json:
        print_json([_row(campaign, span, today) for campaign, span in rows])
        return
    if not rows:
        typer.echo("No awareness campaigns yet. Add the usual ones with: bulletin-tui awareness seed")
    for campaign, span in rows:
        when = span.words() if span else f"no dates in {year}"
        source = " (recorded)" if span in campaign.dates else ""
        rule = campaign.rule.text() if campaign.rule else "dates only"
        typer.echo(f"{campaign.name}: {when}{source}  [{rule}]")


@app.command("upcoming")
def upcoming(
    ctx: typer.Context,
    weeks: Annotated[int, Opt("--weeks", min=1, max=104)] = 8,
    as_json: Annotated[bool, Opt("--json")] = False,
) -> None:
    """Campaigns on now or starting in the next few weeks."""
    app_ctx = state(ctx).context(read_only=True)
    today = schedule.today(app_ctx)
    found = schedule.upcoming(app_ctx, weeks)
    if as_json:
        print_json([_row(o.campaign, o.span, today) | {"when": when_words(o.span, today)} for o in found])
        return
    if not found:
        typer.echo(f"No awareness campaigns in the next {weeks} weeks.")
    for occurrence in found:
        typer.echo(_line(occurrence, today))


def _line(occurrence: Occurrence, today: date) -> str:
    guess = " (usual dates: check the organiser's)" if is_guess(occurrence) else ""
    return f"{occurrence.campaign.name}: {occurrence.span.words()}, {when_words(occurrence.span, today)}{guess}"


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    rule: Annotated[str | None, Opt("--rule", help=RULE_HELP)] = None,
    link: Annotated[str | None, Opt("--link")] = None,
    topic: Annotated[list[str] | None, Opt("--topic", help="Repeat for several.")] = None,
    short_name: Annotated[list[str] | None, Opt("--short-name", help="Another name items may use; repeat.")] = None,
    note: Annotated[str, Opt("--note")] = "",
    dates: Annotated[str | None, Opt("--dates", help="This year's dates, e.g. '15-21 November' (with --year).")] = None,
    year: Annotated[int | None, Opt("--year")] = None,
) -> None:
    """Add a campaign (a rule, or a year's --dates, or both)."""
    app_ctx = state(ctx).context()
    span = None if dates is None else _span(dates, year)
    fields = {
        "rule": rule,
        "link": link,
        "topics": topic,
        "short_names": short_name,
        "note": note,
        "dates": [span] if span else [],
    }
    campaign = calendar.add_campaign(app_ctx, name, **fields)
    typer.echo(f"Added {campaign.name} ({campaign.slug}): {_next_words(campaign, app_ctx)}")


def _span(text: str, year: int | None) -> DateSpan:
    from ..domain.awareness_rules import parse_span

    return parse_span(text, year)


def _next_words(campaign: AwarenessCampaign, app_ctx: AppContext) -> str:
    span = next_span(app_ctx, campaign)
    return f"next {span.words()}" if span else "no dates from today on"


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: str,
    new_name: Annotated[str | None, Opt("--name")] = None,
    rule: Annotated[str | None, Opt("--rule", help=RULE_HELP)] = None,
    link: Annotated[str | None, Opt("--link", help="'' clears it.")] = None,
    topic: Annotated[list[str] | None, Opt("--topic", help="Replaces the topics; '' clears them.")] = None,
    short_name: Annotated[list[str] | None, Opt("--short-name", help="Replaces them; '' clears them.")] = None,
    note: Annotated[str | None, Opt("--note")] = None,
) -> None:
    """Change a campaign (NAME is its name, short name or slug)."""
    app_ctx = state(ctx).context()
    campaign = calendar.edit_campaign(
        app_ctx,
        name,
        name=new_name,
        rule=rule,
        link=link,
        topics=_many(topic),
        short_names=_many(short_name),
        note=note,
    )
    typer.echo(f"Updated {campaign.name}: {_next_words(campaign, app_ctx)}")


def _many(values: list[str] | None) -> list[str] | None:
    return None if values is None else [v.strip() for v in values if v.strip()]


@app.command("remove")
def remove(
    ctx: typer.Context, name: str, yes: Annotated[bool, Opt("--yes", help="Do not ask for confirmation.")] = False
) -> None:
    """Remove a campaign from the calendar (items already made from it stay)."""
    app_ctx = state(ctx).context()
    campaign = calendar.find_campaign(app_ctx, name)
    if not yes:
        typer.confirm(f"Remove {campaign.name} and its recorded dates from the calendar?", abort=True)
    calendar.remove_campaign(app_ctx, campaign.slug)
    typer.echo(f"Removed {campaign.name}")


@app.command("dates")
def dates(
    ctx: typer.Context,
    name: str,
    span: Annotated[str, typer.Argument(help="e.g. '15-21 November', '28 Dec to 3 Jan', '2021-11-15 to 2021-11-21'.")],
    year: Annotated[int | None, Opt("--year", help="The year the dates start in.")] = None,
) -> None:
    """Record a year's actual dates of a campaign (they override its rule for that year)."""
    campaign, recorded = calendar.record_dates(state(ctx).context(), name, year, span)
    typer.echo(f"Recorded {campaign.name} {recorded.start.year}: {recorded.words()}")


@app.command("seed")
def seed(ctx: typer.Context) -> None:
    """Add the campaigns of the source papers that are not there yet (idempotent)."""
    app_ctx = state(ctx).context()
    report = seed_campaigns(app_ctx)
    typer.echo(report.summary())
    for name in report.added:
        typer.echo(f"  {name}")
