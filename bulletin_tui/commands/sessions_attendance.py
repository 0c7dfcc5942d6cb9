"""`bulletin-tui sessions attendance|import-attendance|export-attendance`: who came, by hand or from Teams."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services.sessions import attendance
from .common import check_output, state


def register(app: typer.Typer) -> None:
    """Add the attendance commands to the `sessions` group."""

    @app.command("attendance")
    def attendance_(
        ctx: typer.Context,
        slug: str,
        email: Annotated[str | None, typer.Argument(help="The person to mark (not with --from-teams)")] = None,
        mark: Annotated[str, typer.Option("--mark", help="attended | no-show | unknown")] = "attended",
        from_teams: Annotated[bool, typer.Option("--from-teams", help=(
            "Take every ended date's attendance from its Teams meeting (Microsoft Graph): matched by address, "
            "minutes present, online no-shows; name-only matches and unregistered attendees are listed"))] = False,
        min_minutes: Annotated[int | None, typer.Option("--min-minutes", help=(
            "With --from-teams: less than this counts as not attended (default: [teams] min_minutes)"))] = None,
        occurrence: Annotated[str | None, typer.Option("--occurrence", help="With --from-teams: only this date")]
        = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="With --from-teams: show, change nothing")] = False,
    ) -> None:
        """Mark one person attended, a no-show, or unknown; or take attendance from Teams (--from-teams)."""
        if from_teams:
            from .sessions_teams import from_teams as take_from_teams

            take_from_teams(ctx, slug, occurrence, min_minutes, dry_run)
            return
        if email is None:
            raise typer.BadParameter("give the person's EMAIL, or --from-teams")
        values = {"attended": True, "no-show": False, "unknown": None}
        if mark not in values:
            raise typer.BadParameter("--mark must be attended, no-show or unknown")
        changed = attendance.mark_attendance(state(ctx).context(), slug, email, values[mark])
        typer.echo(f"{changed.email}: {mark}")

    @app.command("import-attendance")
    def import_attendance(
        ctx: typer.Context,
        slug: str,
        file: Path,
        min_minutes: Annotated[int, typer.Option("--min-minutes", help="Less than this counts as not attended")] = 0,
        mark_absent: Annotated[
            bool,
            typer.Option(
                "--mark-absent/--no-mark-absent", help="Online registrants missing from the report are no-shows"
            ),
        ] = True,
        occurrence: Annotated[
            str | None, typer.Option("--occurrence", help="Which date (default: matched by the report's start time)")
        ] = None,
    ) -> None:
        """Apply a Microsoft Teams attendance report (matched by e-mail)."""
        result = attendance.import_teams_report(
            state(ctx).context(), slug, file, min_minutes=min_minutes, mark_absent=mark_absent, occurrence=occurrence
        )
        date = f" for date {result.occurrence_id}" if result.occurrence_id else ""
        typer.echo(
            f"{result.file} ({result.layout}){date}: {len(result.matched) + len(result.matched_by_name)} attended, "
            f"{len(result.marked_absent)} no-shows, {len(result.too_short)} too short, "
            f"{len(result.not_registered)} not registered"
        )
        for label in result.not_registered:
            typer.echo(f"  not registered: {label}")
        for label in result.matched_by_name:
            typer.echo(f"  matched by name only: {label}")
        for label in result.other_date:
            typer.echo(f"  registered for another date: {label}")

    @app.command("export-attendance")
    def export_attendance(ctx: typer.Context, slug: str, file: Path) -> None:
        """Write the attendance CSV for a session (formula-looking cells neutralised; file mode 0600)."""
        check_output(ctx, file)
        rows = attendance.export_attendance(state(ctx).context(read_only=True), slug, file)
        typer.echo(f"Wrote {rows} row(s) to {file}")
