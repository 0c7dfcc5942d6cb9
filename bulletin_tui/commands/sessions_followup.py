"""`bulletin-tui sessions materials` and `sessions follow-up`: what attendees get after a session, and sending it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.followup import Audience, MaterialKind
from ..services.context import AppContext
from ..services.sessions.followup import materials_summary
from .common import fail, print_json, state
from .mailing_run import (
    ProgressPrinter,
    SmtpHost,
    SmtpPort,
    SmtpSecurity,
    apply_smtp_flags,
    outcome_text,
    run_until_done,
)

Opt = typer.Option
FOLLOW_UP_HELP = """Send the session's materials and feedback link to the people who attended (one message each).

--no-shows sends instead to registered people recorded as not attending, as a campaign of its own; --both runs the two campaigns one after the other. Refused before the session has ended or before attendance is recorded. Shows who and how many and asks before sending (--yes for scripts; --dry-run only shows).

It goes through the same ledger as `send`: running it again resumes (nobody gets it twice). Exit codes as `send`: 0 complete, 1 error (nothing sent), 3 some failed or uncertain, 4 paused by the engine, 5 stopped (Ctrl-C)."""  # noqa: E501
MATERIALS_HELP = """Show or set what attendees get after session SLUG: links, the feedback questionnaire, PDFs, a note.

With no option it shows them. Each option changes only its own part ('' removes a link); --attach copies a PDF (checked by content, up to 5 MB) into the data folder; --clear forgets everything."""  # noqa: E501
Url = Annotated[str | None, Opt(metavar="URL")]


def register(app: typer.Typer) -> None:
    """Add `materials` and `follow-up` to the `sessions` group."""
    app.command("materials", help=MATERIALS_HELP)(materials)
    app.command("follow-up", help=FOLLOW_UP_HELP)(follow_up)


def materials(
    ctx: typer.Context,
    slug: str,
    slides: Url = None,
    recording: Url = None,
    pack: Url = None,
    other: Annotated[str | None, Opt(metavar="URL", help="Any further link (label it with --other-label).")] = None,
    other_label: Annotated[str | None, Opt(help="Link text for --other.")] = None,
    feedback: Annotated[
        str | None, Opt(metavar="URL", help="The feedback questionnaire (e.g. Microsoft Forms).")
    ] = None,
    attach: Annotated[list[Path] | None, Opt(help="A PDF to attach (repeat for several; same name replaces).")] = None,
    detach: Annotated[list[str] | None, Opt(metavar="NAME", help="Remove an attachment by its file name.")] = None,
    note: Annotated[str | None, Opt(help="A short message from staff ('' removes it).")] = None,
    clear: Annotated[bool, Opt("--clear", help="Forget all of this session's materials.")] = False,
    as_json: Annotated[bool, Opt("--json")] = False,
) -> None:
    from ..services.sessions.followup import MaterialsChange, clear_materials, get_materials, set_materials

    links: dict[MaterialKind, str | None] = {
        kind: url
        for kind, url in (
            (MaterialKind.SLIDES, slides),
            (MaterialKind.RECORDING, recording),
            (MaterialKind.PACK, pack),
            (MaterialKind.OTHER, other),
        )
        if url is not None
    }
    change = MaterialsChange(
        links=links,
        labels={MaterialKind.OTHER: other_label} if other_label is not None else {},
        feedback_url=feedback,
        note=note,
        attach=attach or [],
        detach=detach or [],
    )
    changing = change.changes_anything
    if clear and changing:
        fail("--clear cannot be combined with other changes")
    if clear:
        cleared = clear_materials(state(ctx).context(), slug)
        typer.echo(f"Cleared the materials of {slug}" if cleared else f"{slug} had no materials; nothing changed")
        return
    app_ctx = state(ctx).context(read_only=not changing)
    found = set_materials(app_ctx, slug, change) if changing else get_materials(app_ctx, slug)
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    if changing:
        typer.echo(f"Saved the materials of {slug}:")
    for line in materials_summary(found):
        typer.echo(line)


def follow_up(
    ctx: typer.Context,
    slug: str,
    no_shows: Annotated[bool, Opt("--no-shows", help="Send to registered no-shows instead of attendees.")] = False,
    both: Annotated[bool, Opt("--both", help="Attendees, then no-shows (two campaigns).")] = False,
    yes: Annotated[bool, Opt("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[bool, Opt("--dry-run", help="Show who would get it; send nothing.")] = False,
    test_to: Annotated[str | None, Opt("--test-to", help="Send one [TEST] copy to this address only.")] = None,
    retry_failed: Annotated[bool, Opt("--retry-failed", help="Also retry failed and given-up recipients.")] = False,
    resend_uncertain: Annotated[
        bool, Opt("--resend-uncertain", help="Resend recipients whose outcome is unknown (may duplicate).")
    ] = False,
    rate_per_minute: Annotated[int | None, Opt("--rate-per-minute", min=0, help="0 = no limit.")] = None,
    concurrency: Annotated[int | None, Opt("--concurrency", min=1, max=32, help="SMTP connections.")] = None,
    smtp_host: SmtpHost = None,
    smtp_port: SmtpPort = None,
    smtp_security: SmtpSecurity = None,
) -> None:
    if no_shows and both:
        fail("--no-shows and --both: choose one")
    audiences = (
        [Audience.ATTENDEES, Audience.NO_SHOWS] if both else [Audience.NO_SHOWS if no_shows else Audience.ATTENDEES]
    )
    app_ctx = state(ctx).context(read_only=dry_run)
    apply_smtp_flags(app_ctx, smtp_host, smtp_port, smtp_security)
    if test_to:
        _send_test(app_ctx, slug, audiences[0], test_to)
        return
    if dry_run:
        for audience in audiences:
            _show_plan(app_ctx, slug, audience, list_people=True)
        return
    to_send = _confirm(app_ctx, slug, audiences, yes)
    code = 0
    for audience in audiences:
        if both and not to_send[audience] and not (retry_failed or resend_uncertain):
            typer.echo(f"Nothing to send to the {audience.value}.")
            continue
        options = {
            "retry_failed": retry_failed,
            "resend_uncertain": resend_uncertain,
            "rate_per_minute": rate_per_minute,
            "concurrency": concurrency,
        }
        ran = _run(app_ctx, slug, audience, **options)
        code = max(code, ran)
        if ran >= 4:  # paused by the engine or stopped: the other group waits for the next run
            break
    raise typer.Exit(code)


def _show_plan(app_ctx: AppContext, slug: str, audience: Audience, *, list_people: bool = False) -> int:
    """Print what would be sent to whom; returns how many would get it (or are still to get it, when resuming)."""
    from ..domain.times import british_range
    from ..services.mailings.followup import describe, followup_status, still_to_send
    from ..services.sessions.followup import followup_plan

    plan = followup_plan(app_ctx, slug, audience)
    session = plan.session
    typer.echo(f"{session.title} ({british_range(session.start, session.end)}): {describe(plan)}")
    for line in materials_summary(plan.materials):
        typer.echo(line)
    started = followup_status(app_ctx, slug, audience)
    if started is not None:
        queued, late = still_to_send(app_ctx, plan)
        counts = ", ".join(f"{v} {k}" for k, v in sorted(started.counts.items()))
        added = f"; {late} whose attendance was recorded since will be added" if late else ""
        typer.echo(
            f"The follow-up to {audience.value} was started before ({counts}); it will be continued, "
            f"{queued} still to send{added}."
        )
        return queued + late
    typer.echo(f"Recipients: {len(plan.recipients)} ({audience.value}).")
    if list_people:
        for person in plan.recipients:
            typer.echo(f"  {person.email}" + (f" ({person.name})" if person.name else ""))
    return len(plan.recipients)


def _confirm(app_ctx: AppContext, slug: str, audiences: list[Audience], yes: bool) -> dict[Audience, int]:
    """Show the plan for each audience and ask (unless --yes); how many each would get it."""
    to_send = {audience: _show_plan(app_ctx, slug, audience) for audience in audiences}
    if not yes:
        if not sys.stdin.isatty():
            fail("not sent: confirm with --yes (or run it on a terminal and answer the question)")
        if not typer.confirm(f"Send the follow-up to {sum(to_send.values())} people now?", default=False):
            fail("not sent")
    return to_send


def _run(app_ctx: AppContext, slug: str, audience: Audience, **options: Any) -> int:
    from ..services.mailings.followup import FollowUpHandle

    printer = ProgressPrinter(sys.stderr.isatty())

    async def run() -> int:
        handle = FollowUpHandle(app_ctx, slug, audience, on_progress=printer, **options)
        result = await run_until_done(handle, printer)
        typer.echo(f"Follow-up to {audience.value} {outcome_text(result)}; mailing {handle.campaign_id}")
        return result.exit_code

    return asyncio.run(run())


def _send_test(app_ctx: AppContext, slug: str, audience: Audience, to: str) -> None:
    from ..services.mailings.followup import send_followup_test
    from ..services.mailings.send import Outcome

    delivery = asyncio.run(send_followup_test(app_ctx, slug, to, audience))
    if delivery.outcome is not Outcome.SENT:
        fail(f"test message to {to} not sent: {delivery.summary}")
    typer.echo(f"Test message sent to {to}: {delivery.summary}")
