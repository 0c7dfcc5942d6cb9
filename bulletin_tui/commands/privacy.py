"""`bulletin-tui privacy ...`: the retention schedule (dry run, run, history) and the personal-data audit."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.times import LONDON
from .common import print_json, state

if TYPE_CHECKING:
    from ..services.privacy.retention import RetentionResult, RetentionRun

app = typer.Typer(no_args_is_help=True)


def _day(moment: datetime | None) -> str:
    return f"{moment.astimezone(LONDON):%d %B %Y}".lstrip("0") if moment else "–"


def _show_result(result: RetentionResult) -> None:
    verb = "would be" if result.dry_run else "were"
    typer.echo(f"Retention schedule ([retention] settings, set by the council's records manager) on "
               f"{_day(result.at)}; oldest first:")
    for found in result.classes:
        places = ", ".join(f"{name} {count}" for name, count in found.counts.items() if count)
        what = f"{found.count} {verb} {found.done}" if found.count else "nothing due"
        typer.echo(f"  {found.name} ({found.period} {found.after}): {what}"
                   + (f" [{places}], oldest {_day(found.oldest)}" if found.count else ""))
    for note in result.kept:
        extra = f"; {note.survey.note}" if note.survey.note and note.place == "backups" else ""
        typer.echo(f"  Kept: {note.place} ({note.survey.count} {note.survey.unit}{extra}): {note.why}")


def _show_run(run: RetentionRun) -> None:
    counts = "; ".join(f"{name} {count}" for name, count in run.counts.items()) or "nothing"
    kept = ", ".join(f"{count} {name.removeprefix('kept_')}" for name, count in run.kept.items())
    state_note = "" if run.finished_at else " (files step unfinished: the next run completes it)"
    busy = f"; left for the next run: {', '.join(run.busy)}" if run.busy else ""
    typer.echo(f"{run.at.astimezone(LONDON):%d %B %Y %H:%M}  {run.by}: {counts}"
               + (f"; figures kept: {kept}" if kept else "") + state_note + busy)


@app.command("retention")
def retention(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would go; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    show_history: Annotated[bool, typer.Option("--history", help="List earlier runs (counts only).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Apply the retention schedule: remove or make anonymous what is older than its class's period, keeping the
    yearly report's figures first. With --dry-run, list what would go, by class, oldest first."""
    from ..services.privacy.retention import apply_retention, retention_runs

    if show_history:
        runs = retention_runs(state(ctx).context(read_only=True))
        if as_json:
            print_json([run.model_dump(mode="json") for run in runs])
        for run in [] if as_json else runs:
            _show_run(run)
        if not runs and not as_json:
            typer.echo("The retention schedule has not removed anything yet.")
        return
    asking = not dry_run and not yes
    app_ctx = state(ctx).context(read_only=dry_run)
    result = apply_retention(app_ctx, dry_run=dry_run or asking)
    if asking and result.total:
        _show_result(result)
        typer.confirm(f"Remove or make anonymous these {result.total} records? This cannot be undone", abort=True)
        result = apply_retention(app_ctx, dry_run=False)
    if as_json:
        print_json(result.as_json())
        return
    if not (asking and result.total and result.run):
        _show_result(result)
    if result.run is not None:
        typer.echo("Done: " + "; ".join(f"{name} {count}" for name, count in result.run.counts.items()) + ".")
        if result.run.busy:
            typer.echo(f"  Left for the next run (a campaign was sending): {', '.join(result.run.busy)}")
    elif not result.total:
        typer.echo("Nothing is older than its period: nothing was changed.")


@app.command("audit")
def audit(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help="A list of objects, one per place.")] = False) -> None:
    """Every place personal data lives, with counts, the oldest date, and what subject access, erasure and the
    retention schedule do there."""
    from ..services.privacy.audit import privacy_audit

    rows = privacy_audit(state(ctx).context(read_only=True))
    if as_json:
        print_json([{"slug": row.place, "title": row.where, "status": "holds data" if row.count else "empty",
                     **row.as_json()} for row in rows])
        return
    for row in rows:
        typer.echo(f"{row.place} ({row.where}): {row.count} {row.unit}"
                   + (f", oldest {_day(row.oldest)}" if row.oldest else "") + (f"; {row.note}" if row.note else ""))
        typer.echo(f"  holds: {row.holds}")
        typer.echo(f"  subject access: {row.subject_access}; erasure: {row.erasure}; retention: {row.retention}")
