"""`bulletin-tui feedback ...`: questionnaire exports in, summaries out, the column mapping per session kind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services.feedback.imports import FeedbackImport, import_feedback, remove_responses, responses_from
from ..services.feedback.mapping import clear_mapping, kind_named, saved_mapping
from ..services.feedback.summary import session_feedback, summary_text
from .common import print_json, state

app = typer.Typer(no_args_is_help=True, help="Feedback questionnaires: import, summary, column mapping.")

MAP_HELP = (
    'Column role, e.g. "How was the delivery?=delivery", "ID=id", "Any comments?=comments", "Name=ignore" '
    "(roles: id, submitted, comments, name, email, ignore, or a short label for a rated question). "
    "Repeat for several."
)


def _shown(header: str) -> str:
    """A header on one line, at most 60 characters (a question's text may hold line breaks)."""
    return " ".join(header.split())[:60]


def _mapping_lines(result: FeedbackImport) -> list[str]:
    lines = [f"Column mapping ({result.origin}):"]
    for header, role in result.mapping.columns.items():
        shown = role.replace("rating:", "rated: ")
        lines.append(f"  {_shown(header):<60} -> {shown}")
    return lines


def _outcome(result: FeedbackImport) -> str:
    verb = "Would add" if result.dry_run else "Added"
    line = (
        f"{verb} {result.added} response(s) to {result.session_slug} from {result.file} ({result.rows} row(s); "
        f"{result.already_imported} imported before, {result.duplicates_in_file} repeated in the file)"
    )
    if result.names_dropped:
        line += "; names and e-mail addresses not kept (--keep-names keeps them)"
    elif result.names_kept:
        line += "; names and e-mail addresses kept"
        if result.names_without_address:
            line += f" ({result.names_without_address} name(s) without an e-mail address left out)"
    return line + "."


@app.command("import")
def import_(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The session the questionnaire was about.")],
    file: Annotated[Path, typer.Argument(help="Microsoft Forms export (.xlsx) or any CSV/XLSX.")],
    map_: Annotated[list[str] | None, typer.Option("--map", help=MAP_HELP)] = None,
    save_mapping: Annotated[
        bool,
        typer.Option(
            "--save-mapping", help="Save the mapping for this session kind; the next import of that kind uses it."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the mapping and what would be added; change nothing.")
    ] = False,
    keep_names: Annotated[
        bool,
        typer.Option(
            "--keep-names", help="Keep respondents' names and e-mail addresses (only if the form asked for them)."
        ),
    ] = False,
) -> None:
    """Import a questionnaire export for a session: all rows or none, each response once."""
    context = state(ctx).context(read_only=dry_run)
    result = import_feedback(
        context,
        slug,
        file,
        overrides=map_ or [],
        save=save_mapping and not dry_run,
        dry_run=dry_run,
        keep_names=keep_names,
    )
    for line in _mapping_lines(result):
        typer.echo(line)
    for note in result.notes:
        typer.echo(note, err=True)
    typer.echo(_outcome(result))
    if result.mapping_saved:
        typer.echo(f"Saved this mapping for {result.mapping.kind} sessions.")
    elif save_mapping and dry_run:
        typer.echo(f"Would save this mapping for {result.mapping.kind} sessions.")
    elif "guessed" in result.origin and not dry_run:
        typer.echo(f"Keep this mapping for the next {result.mapping.kind} session with --save-mapping.")


@app.command("summary")
def summary(
    ctx: typer.Context,
    slug: str,
    as_json: Annotated[bool, typer.Option("--json", help="One object: responses, rate, questions.")] = False,
) -> None:
    """A session's feedback: responses, response rate, ratings per question, % good or excellent."""
    feedback = session_feedback(state(ctx).context(read_only=True), slug)
    if as_json:
        print_json([feedback.as_json()])
        return
    for line in summary_text(feedback):
        typer.echo(line)


@app.command("remove")
def remove(
    ctx: typer.Context,
    slug: str,
    file: Annotated[str | None, typer.Option("--file", help="Only the responses imported from this file name.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a session's imported responses (e.g. an export imported into the wrong session)."""
    context = state(ctx).context()
    found = responses_from(context, slug, file)
    if not found:
        typer.echo(f"No responses to remove for {slug}" + (f" from {Path(file).name}." if file else "."))
        return
    if not yes:
        what = f"{len(found)} response(s) of {slug}" + (f" imported from {Path(file).name}" if file else "")
        typer.confirm(f"Remove {what}? This cannot be undone (import the file again to get them back)", abort=True)
    typer.echo(f"Removed {remove_responses(context, slug, file)} response(s) from {slug}.")


@app.command("mapping")
def mapping(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help='A session kind, e.g. "training" or "CSIS".')],
    clear: Annotated[bool, typer.Option("--clear", help="Forget the saved mapping.")] = False,
) -> None:
    """Show (or with --clear, forget) the column mapping saved for a session kind."""
    kind = kind_named(kind)
    context = state(ctx).context(read_only=not clear)
    if clear:
        typer.echo(
            f"Cleared the mapping for {kind}." if clear_mapping(context, kind) else f"No mapping is saved for {kind}."
        )
        return
    saved = saved_mapping(context, kind)
    if saved is None:
        typer.echo(f"No mapping is saved for {kind}; the next import guesses one from the headers.")
        return
    typer.echo(f"Mapping for {kind}" + (f" (saved {saved.saved_at:%d/%m/%Y %H:%M} UTC):" if saved.saved_at else ":"))
    for header, role in saved.columns.items():
        typer.echo(f"  {_shown(header):<60} -> {role.replace('rating:', 'rated: ')}")
