"""The one entry point: no sub-command opens the TUI; sub-commands script everything else."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from .commands import bulletin, demo, report, send, sessions, subscribers
from .commands.common import CliState
from .config import load_settings
from .domain.errors import DomainError, describe_validation_error
from .storage.errors import StorageError

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
demo.register(app)
send.register(app)
report.register(app)


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

        run_app(settings, create=create)


def main() -> None:
    try:
        app()
    except (DomainError, StorageError) as exc:
        typer.echo(f"bulletin-tui: {exc}", err=True)
        sys.exit(1)
    except ValidationError as exc:
        typer.echo(f"bulletin-tui: {describe_validation_error(exc)}", err=True)
        sys.exit(1)
