"""`bulletin-tui send` and `bulletin-tui campaigns ...`: send an issue, watch it, resume it, audit it."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..sending.progress import CampaignResult
from ..services.campaigns import runs as campaigns
from ..services.campaigns import send
from ..services.campaigns.handle import CampaignHandle
from ..services.campaigns.send import Outcome, Progress
from ..services.context import AppContext
from .common import check_output, fail, print_json, state
from .send_schedule import SCHEDULE_WORDS

Opt = typer.Option
SEND_HELP = """Send bulletin ISSUE to a list, one message per person, recorded in a crash-proof ledger.

Several --list options make one campaign: each person once, the restricted variant for anyone on a cleared list. People an earlier campaign of ISSUE already reached are left out unless --include-already-sent.

Messages go to the outbox folder (.eml files) unless an SMTP server is configured (settings or --smtp-host). Pre-send checks must pass (--force overrides). Ctrl-C stops after the messages in flight; --resume continues.

Exit codes: 0 complete (everyone sent or deliberately skipped).
1 error: nothing was sent.
3 complete, but some recipients failed, are uncertain or still deferred (see `campaigns show ID --state failed`).
4 paused by the engine (quota, authentication, TLS, repeated errors, daily limit, the same refusal for everyone, server unreachable for limits.unreachable_pause_minutes): fix the cause, then --resume.
5 stopped by the operator (Ctrl-C): run again with --resume.

--at "YYYY-MM-DD HH:MM" (Europe/London) schedules the send instead: the same checks run (as on that day), and `bulletin-tui worker` sends it then. `send scheduled` lists scheduled sends; `send cancel-scheduled ID [--yes]` cancels one that has not started."""  # noqa: E501


class ProgressPrinter:
    """A one-line bar on a terminal, fitted to its width (it never wraps); a plain line every few seconds (and on
    changes of state) otherwise."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self._last_line = 0.0
        self._last_state = ""

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        changed = progress.state != self._last_state
        if self.tty:
            if changed or now - self._last_line > 0.1:
                columns = shutil.get_terminal_size((80, 24)).columns  # read each time: the window may be resized
                sys.stderr.write(f"\r{progress.terminal_line(columns)}\x1b[K")
                sys.stderr.flush()
                self._last_line = now
        elif changed or now - self._last_line > 5:
            typer.echo(progress.line(), err=True)
            self._last_line = now
        self._last_state = progress.state

    def finish(self) -> None:
        if self.tty:
            sys.stderr.write("\n")


def _with_smtp(app_ctx: AppContext, host: str | None, port: int | None, security: str | None) -> None:
    """Apply --smtp-* flags to this run's settings (never saved)."""
    changes = {k: v for k, v in (("host", host), ("port", port), ("security", security)) if v is not None}
    if changes:
        smtp = app_ctx.settings.smtp.model_copy(update=changes)
        app_ctx.settings = app_ctx.settings.model_copy(update={"smtp": smtp})


APPLY_EVERY_S = 15.0


async def run_until_done(handle: CampaignHandle, printer: ProgressPrinter) -> CampaignResult:
    """Run a campaign handle with Ctrl-C/SIGTERM stopping it after the messages in flight; the progress line ends."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, handle.stop)
    applier = asyncio.create_task(_apply_web_requests_while_sending(handle.ctx))
    try:
        return await handle.run()
    finally:
        applier.cancel()
        printer.finish()


async def _apply_web_requests_while_sending(ctx: AppContext) -> None:
    """A send takes hours at 30 a minute: what the web face journals meanwhile (sign-ups, registrations,
    preference changes) is applied here every APPLY_EVERY_S too, in case no `serve` applier runs beside it (each in
    its own short write transaction). Unsubscribes are honoured before that, right before each message."""
    from ..services.campaigns.confirmations import send_queued
    from ..services.web.journal_apply import apply_pending
    from ..storage.journal import journal_path

    path, seen = journal_path(ctx.data_dir), -1
    while True:
        await asyncio.sleep(APPLY_EVERY_S)
        size = path.stat().st_size if path.exists() else 0
        if size == seen:
            continue
        try:
            applied = sum(apply_pending(ctx).values())
            await send_queued(ctx)  # confirmation e-mails of sign-ups and registrations, beside this send
        except Exception as exc:  # noqa: BLE001 - the send goes on; the next round (or the next command) retries
            typer.echo(f"web requests not applied yet: {exc}", err=True)
            continue
        seen = size
        if applied:
            typer.echo(f"\nApplied {applied} request(s) from the web face", err=True)


def budget_notice(app_ctx: AppContext, issue: str, list_slug: list[str] | None, *, continuing: bool,
                  include_already_sent: bool) -> str:
    """Before a send over SMTP: the mailbox's budget left today and whether this send fits in it ('' for the
    outbox, or when the campaign cannot be opened: the send says why)."""
    from ..domain.errors import DomainError
    from ..services.campaigns.audience import campaign_audience, choose_lists

    if not app_ctx.settings.smtp.host:
        return ""
    budget = campaigns.budget_today(app_ctx)
    if budget.left is None:
        return budget.plan(0)
    try:
        chosen = choose_lists(app_ctx, list_slug)
        campaign_id = send.campaign_id_for(issue, [d.slug for d in chosen])
        if continuing:
            to_send = campaigns.campaign_status(app_ctx, campaign_id).to_send
        elif campaigns.ledger_path(app_ctx, campaign_id).exists():
            return ""
        else:
            to_send = len(campaign_audience(app_ctx, issue, chosen, include_already_sent=include_already_sent,
                                            campaign_id=campaign_id)[0])
    except DomainError:
        return ""
    return budget.plan(to_send)


def outcome_text(result: CampaignResult) -> str:
    """`complete (40 sent of 40)`, `paused: 421 try later (12 sent, 1 deferred of 40)`."""
    counts = ", ".join(f"{v} {k}" for k, v in sorted(result.counts.items())) or "nobody to send to"
    reason = f": {result.reason}" if result.reason else ""
    return f"{result.status.value}{reason} ({counts} of {result.total})"


async def _run_campaign(app_ctx: AppContext, issue: str, list_slug: list[str] | None, printer: ProgressPrinter,
                        **options: object) -> int:
    handle = CampaignHandle(app_ctx, issue, list_slug, on_progress=printer, **options)  # type: ignore[arg-type]
    result = await run_until_done(handle, printer)
    typer.echo(f"Campaign {outcome_text(result)}")
    left_out = campaigns.campaign_status(app_ctx, handle.campaign_id).meta.get("already_received", 0)
    if left_out:
        typer.echo(f"{left_out} people on the list(s) already received {issue} from an earlier campaign and were "
                   "left out (--include-already-sent sends to them too)")
    return result.exit_code


def register(app: typer.Typer) -> None:
    """Add `send` and `campaigns` to the root app."""

    @app.command("send", help=SEND_HELP)
    def send_command(
        ctx: typer.Context, issue: Annotated[str, typer.Argument(
            help="Issue slug, e.g. 2024-06; or `scheduled`, or `cancel-scheduled ID`.")],
        schedule_id: Annotated[str | None, typer.Argument(hidden=True)] = None,
        list_slug: Annotated[list[str] | None, Opt(
            "--list", help="List slug or name; repeat it to send to several lists as one campaign (each person "
            "once).")] = None,
        include_already_sent: Annotated[bool, Opt(
            "--include-already-sent", help="Also send to people an earlier campaign of this issue reached.")
                                        ] = False,
        resume: Annotated[bool, Opt("--resume", help="Continue a started campaign.")] = False,
        retry_failed: Annotated[bool, Opt("--retry-failed", help="Also retry failed and given-up recipients.")
                                ] = False,
        resend_uncertain: Annotated[bool, Opt("--resend-uncertain",
                                              help="Resend recipients whose outcome is unknown (may duplicate).")
                                    ] = False,
        test_to: Annotated[str | None, Opt("--test-to", help="Send one [TEST] copy to this address only.")] = None,
        rate_per_minute: Annotated[int | None, Opt("--rate-per-minute", min=0, help="0 = no limit.")] = None,
        concurrency: Annotated[int | None, Opt("--concurrency", min=1, max=32, help="SMTP connections.")] = None,
        smtp_host: Annotated[str | None, Opt("--smtp-host")] = None,
        smtp_port: Annotated[int | None, Opt("--smtp-port")] = None,
        smtp_security: Annotated[Literal["starttls", "tls", "none"] | None, Opt("--smtp-security")] = None,
        force: Annotated[bool, Opt("--force", help="Send even though pre-send checks fail.")] = False,
        at: Annotated[str | None, Opt("--at", help='Schedule it instead: "YYYY-MM-DD HH:MM", Europe/London; the '
                                      "worker sends it then.")] = None,
        yes: Annotated[bool, Opt("--yes", help="cancel-scheduled: no confirmation question.")] = False,
        as_json: Annotated[bool, Opt("--json", help="scheduled: a list of objects.")] = False,
    ) -> None:
        from . import send_schedule

        if issue in SCHEDULE_WORDS:
            app_ctx = state(ctx).context(read_only=issue == "scheduled")
            if issue == "scheduled":
                send_schedule.show_scheduled(app_ctx, as_json)
            else:
                send_schedule.cancel(app_ctx, schedule_id, yes)
            return
        if schedule_id is not None:
            fail(f"unexpected argument {schedule_id!r} after the issue (lists are given with --list)")
        if at is not None:
            send_schedule.refuse_with_at({
                "--resume": resume, "--retry-failed": retry_failed, "--resend-uncertain": resend_uncertain,
                "--test-to": test_to, "--rate-per-minute": rate_per_minute, "--concurrency": concurrency,
                "--smtp-host": smtp_host, "--smtp-port": smtp_port, "--smtp-security": smtp_security})
            send_schedule.schedule(state(ctx).context(), issue, list_slug, at, force=force,
                                   include_already_sent=include_already_sent)
            return
        app_ctx = state(ctx).context()
        _with_smtp(app_ctx, smtp_host, smtp_port, smtp_security)
        if test_to:  # one copy per variant the lists receive (general and restricted)
            for variant, delivery in asyncio.run(send.send_tests(app_ctx, issue, test_to, list_slug)):
                if delivery.outcome is not Outcome.SENT:
                    fail(f"test message ({variant}) to {test_to} not sent: {delivery.summary}")
                typer.echo(f"Test message ({variant}) sent to {test_to}: {delivery.summary}")
            return
        notice = budget_notice(app_ctx, issue, list_slug, continuing=resume or retry_failed or resend_uncertain,
                               include_already_sent=include_already_sent)
        if notice:
            typer.echo(notice)
        printer = ProgressPrinter(sys.stderr.isatty())
        code = asyncio.run(_run_campaign(
            app_ctx, issue, list_slug, printer, resume=resume, retry_failed=retry_failed,
            resend_uncertain=resend_uncertain, rate_per_minute=rate_per_minute, concurrency=concurrency,
            force=force, include_already_sent=include_already_sent))
        raise typer.Exit(code)

    app.add_typer(campaigns_app, name="campaigns", help="Sending campaigns: status, ledger export, SMTP test.")


campaigns_app = typer.Typer(no_args_is_help=True)


@campaigns_app.command("list")
def list_campaigns(ctx: typer.Context, as_json: Annotated[bool, Opt("--json")] = False) -> None:
    """Campaigns with their counts, most recent first."""
    found = campaigns.list_campaigns(state(ctx).context(read_only=True))
    if as_json:
        print_json([{"slug": c.campaign_id, "title": c.meta.get("subject", ""), "status": c.last_event,
                     "counts": c.counts, "updated_at": c.updated_at} for c in found])
        return
    if not found:
        typer.echo("No campaigns yet.")
    for c in found:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(c.counts.items()))
        typer.echo(f"{c.campaign_id:<40} {c.last_event:<16} {counts}")


@campaigns_app.command("show")
def show(ctx: typer.Context, campaign_id: str, state_filter: Annotated[
        str | None, Opt("--state", help="Only recipients in this state (e.g. uncertain, failed).")] = None) -> None:
    """Each recipient's state and last server reply."""
    app_ctx = state(ctx).context(read_only=True)
    status = campaigns.campaign_status(app_ctx, campaign_id)
    typer.echo(f"{campaign_id}: {status.meta.get('subject', '')} ({status.total} recipients)")
    for person in campaigns.recipients(app_ctx, campaign_id):
        if state_filter in (None, person.state.value):
            bounced = f" (bounced after delivery: {person.bounced})" if person.bounced else ""
            typer.echo(f"{person.email or person.key:<45} {person.state.value:<10} {person.reply}{bounced}")


@campaigns_app.command("export")
def export(ctx: typer.Context, campaign_id: str, out: Path) -> None:
    """Write the whole ledger of a campaign as CSV (who got what, when, and the server's reply)."""
    check_output(ctx, out)
    rows = campaigns.export_csv(state(ctx).context(read_only=True), campaign_id, out)
    typer.echo(f"Wrote {rows} ledger records to {out}")


@campaigns_app.command("test-connection")
def connection_check(ctx: typer.Context) -> None:
    """Connect to the configured SMTP server (TLS, sign-in) without sending anything."""
    typer.echo(asyncio.run(send.check_smtp_connection(state(ctx).context(read_only=True))))
