"""Running a campaign from the terminal (`send`, `sessions follow-up`): the --smtp-* flags, the progress line,
Ctrl-C and SIGTERM, web requests applied meanwhile, and the one-line outcome."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
import time
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:  # types only: `sessions` loads this module for its option types and stays light
    from ..sending.progress import CampaignResult
    from ..services.context import AppContext
    from ..services.mailings.handle import CampaignHandle
    from ..services.mailings.send import Progress

SmtpHost = Annotated[str | None, typer.Option("--smtp-host")]
SmtpPort = Annotated[int | None, typer.Option("--smtp-port")]
SmtpSecurity = Annotated[Literal["starttls", "tls", "none"] | None, typer.Option("--smtp-security")]


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


def apply_smtp_flags(app_ctx: AppContext, host: str | None, port: int | None, security: str | None) -> None:
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
    from ..services.mailings.confirmations import send_queued
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


def outcome_text(result: CampaignResult) -> str:
    """`complete (40 sent of 40)`, `paused: 421 try later (12 sent, 1 deferred of 40)`."""
    counts = ", ".join(f"{v} {k}" for k, v in sorted(result.counts.items())) or "nobody to send to"
    reason = f": {result.reason}" if result.reason else ""
    return f"{result.status.value}{reason} ({counts} of {result.total})"


