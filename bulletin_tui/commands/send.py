"""`bulletin-tui send`: send an issue, watch it, resume it (`bulletin-tui mailings ...` audits it)."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from ..services.context import AppContext
from ..services.mailings import runs as campaigns
from ..services.mailings import send
from ..services.mailings.budget_fit import budget_notice
from ..services.mailings.handle import CampaignHandle
from ..services.mailings.send import Outcome
from .common import fail, state
from .mailing_run import (
    ProgressPrinter,
    SmtpHost,
    SmtpPort,
    SmtpSecurity,
    apply_smtp_flags,
    outcome_text,
    run_until_done,
)
from .send_schedule import SCHEDULE_WORDS

Opt = typer.Option
SEND_HELP = """Send bulletin ISSUE to a list, one message per person, recorded in a crash-proof ledger.

Several --list options make one campaign: each person once, the restricted variant for anyone on a cleared list. People an earlier campaign of ISSUE already reached are left out unless --include-already-sent.

Messages go to the outbox folder (.eml files) unless an SMTP server is configured (settings or --smtp-host). Pre-send checks must pass (--force overrides). Ctrl-C stops after the messages in flight; --resume continues.

Exit codes: 0 complete (everyone sent or deliberately skipped).
1 error: nothing was sent.
3 complete, but some recipients failed, are uncertain or still deferred (see `mailings show ID --state failed`).
4 paused by the engine (quota, authentication, TLS, repeated errors, daily limit, the same refusal for everyone, server unreachable for limits.unreachable_pause_minutes): fix the cause, then --resume.
5 stopped by the operator (Ctrl-C): run again with --resume.

--at "YYYY-MM-DD HH:MM" (Europe/London) schedules the send instead: the same checks run (as on that day), and `bulletin-tui worker` sends it then. `send scheduled` lists scheduled sends; `send cancel-scheduled ID [--yes]` cancels one that has not started."""  # noqa: E501


async def _run_campaign(app_ctx: AppContext, issue: str, list_slug: list[str] | None, printer: ProgressPrinter,
                        **options: object) -> int:
    handle = CampaignHandle(app_ctx, issue, list_slug, on_progress=printer, **options)  # type: ignore[arg-type]
    result = await run_until_done(handle, printer)
    typer.echo(f"Mailing {outcome_text(result)}")
    left_out = campaigns.campaign_status(app_ctx, handle.campaign_id).meta.get("already_received", 0)
    if left_out:
        typer.echo(f"{left_out} people on the list(s) already received {issue} from an earlier campaign and were "
                   "left out (--include-already-sent sends to them too)")
    return result.exit_code


def register(app: typer.Typer) -> None:
    """Add `send` to the root app."""

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
        smtp_host: SmtpHost = None,
        smtp_port: SmtpPort = None,
        smtp_security: SmtpSecurity = None,
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
        apply_smtp_flags(app_ctx, smtp_host, smtp_port, smtp_security)
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
