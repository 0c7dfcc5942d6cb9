"""The one entry point: no sub-command opens the TUI; sub-commands script everything else."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from .commands import bulletin, demo, inbox, mail, report, restore, send, serve, sessions, subscribers
from .commands.common import CliState, damaged_record
from .commands.help_format import quiet_flag_types
from .config import load_settings
from .domain.errors import DomainError, describe_validation_error
from .storage.errors import StorageError

quiet_flag_types()
app = typer.Typer(
    name="bulletin-tui",
    help="Kent Community Safety Team e-bulletin and information sessions.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(subscribers.app, name="subscribers", help="Subscribers, lists, consent, export and erasure.")
app.add_typer(bulletin.app, name="bulletin", help="Assemble, check and render bulletin issues.")
app.add_typer(sessions.app, name="sessions", help="Information sessions, registrations and invites.")
app.add_typer(inbox.app, name="inbox", help="The return path: bounces, replies and requests from the mailbox.")
app.add_typer(mail.app, name="mail", help="Microsoft 365 sign-in (OAuth2) and a check of the mail settings.")
demo.register(app)
send.register(app)
report.register(app)
restore.register(app)
serve.register(app)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data folder (or BULLETIN_DATA_DIR).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (or BULLETIN_CONFIG).")] = None,
    create: Annotated[bool, typer.Option("--create", help="Start a new database if none exists.")] = False,
) -> None:
    """With no command, open the terminal app."""
    settings = load_settings(config, data_dir=data_dir)
    ctx.obj = CliState(settings=settings, create=create)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from .tui.app import run_app

        run_app(ctx.obj)


def main() -> None:
    CliState.last_opened = None
    try:
        app()
    except Exception as exc:
        line = describe_failure(exc)
        if line is None:
            raise
        typer.echo(f"bulletin-tui: {one_line(line)}", err=True)
        sys.exit(1)


def one_line(text: str) -> str:
    """The message with line breaks and other control characters shown as escapes (a path may hold them)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def describe_failure(exc: Exception) -> str | None:
    """One line for an error the user can fix (bad input, settings or data); None for a bug, whose traceback
    is shown. A lookup or type error from a fast reader of raw records names the damaged record, if one is."""
    if isinstance(exc, DomainError | StorageError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    if isinstance(exc, OSError) and exc.filename:  # a file the user named: missing folder, no permission
        return f"cannot use {exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, LookupError | AttributeError | TypeError):
        found = damaged_record()
        return None if found is None else str(found)
    return None
