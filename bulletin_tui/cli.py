"""The one entry point: no sub-command opens the TUI; sub-commands script everything else.

Command modules are imported only when their command runs (`LazyCommands`): `bulletin list` does not pay for
sessions, sending or reports. `--help` lists every command from `COMMANDS` without importing them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

COMMANDS: dict[str, tuple[str, str]] = {
    # command: (module in bulletin_tui.commands, the one-line help `--help` shows without importing it), in the
    # order `--help` lists them. A module with a Typer `app` becomes a group; otherwise its `register(app)` runs.
    "demo": ("demo", "Load sample data (idempotent): items and sessions from KCSP papers, fake subscribers."),
    "send": ("send", "Send bulletin ISSUE to a list, one message per person, recorded in a crash-proof ledger."),
    "report": ("report", "The KCST update for the partnership: one April-March year as Markdown."),
    "subscribers": ("subscribers", "Subscribers, lists, consent, export and erasure."),
    "bulletin": ("bulletin", "Assemble, check and render bulletin issues."),
    "sessions": ("sessions", "Information sessions, registrations and invites."),
    "campaigns": ("send", "Sending campaigns: status, ledger export, SMTP test."),
}


def mount(app: typer.Typer, module_name: str) -> None:
    """Add one command module's commands to `app`: its `register(app)`, or its `app` as a group of that name."""
    module = importlib.import_module(f"{__package__}.commands.{module_name}")
    if isinstance(getattr(module, "app", None), typer.Typer):
        app.add_typer(module.app, name=module_name, help=COMMANDS[module_name][1])
    else:
        module.register(app)


class LazyCommands(TyperGroup):
    """The root group: a command's module is imported when that command is resolved (run, or its own --help)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        return typer.core.TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])  # a listing for --help only

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in COMMANDS:
            self.load(COMMANDS[args[0]][0])
        elif args and args[0] not in self.commands:  # a typo: load everything so "Did you mean ...?" knows all
            for module_name, _help in COMMANDS.values():
                self.load(module_name)
        return super().resolve_command(ctx, args)

    def load(self, module_name: str) -> None:
        """Import one command module and add the commands it defines."""
        if all(name in self.commands for name, (module, _) in COMMANDS.items() if module == module_name):
            return
        loaded = typer.Typer()
        mount(loaded, module_name)
        self.commands.update(typer.main.get_group(loaded).commands)


app = typer.Typer(
    name="bulletin-tui",
    help="Kent Community Safety Team e-bulletin and information sessions.",
    cls=LazyCommands,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data folder (or BULLETIN_DATA_DIR).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (or BULLETIN_CONFIG).")] = None,
    create: Annotated[bool, typer.Option("--create", help="Start a new database if none exists.")] = False,
) -> None:
    """With no command, open the terminal app."""
    from .commands.common import CliState
    from .config import load_settings

    settings = load_settings(config, data_dir=data_dir)
    ctx.obj = CliState(settings=settings, create=create)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from .tui.app import run_app

        run_app(settings, create=create)


def main() -> None:
    try:
        app()
    except Exception as exc:  # the error types are imported only when needed: `--help` stays light
        from pydantic import ValidationError

        from .domain.errors import DomainError, describe_validation_error
        from .storage.errors import StorageError

        if isinstance(exc, DomainError | StorageError):
            typer.echo(f"bulletin-tui: {exc}", err=True)
        elif isinstance(exc, ValidationError):
            typer.echo(f"bulletin-tui: {describe_validation_error(exc)}", err=True)
        else:
            raise
        sys.exit(1)
