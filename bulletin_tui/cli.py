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

from .commands.help_format import quiet_flag_types

quiet_flag_types()  # flags show no `<bool>` in --help

COMMANDS: dict[str, tuple[str, str]] = {
    # command: (module in bulletin_tui.commands, the one-line help `--help` shows without importing it), in the
    # order `--help` lists them. A module with a Typer `app` becomes a group; otherwise its `register(app)` runs.
    "demo": ("demo", "Load sample data (idempotent): items and sessions from KCSP papers, fake subscribers."),
    "send": ("send", "Send bulletin ISSUE to a list, one message per person, recorded in a crash-proof ledger."),
    "report": ("report",
               "The KCST update for the partnership: one April-March year as Markdown (and, with --docx, Word)."),
    "subscribers": ("subscribers", "Subscribers, lists, consent, export and erasure."),
    "bulletin": ("bulletin", "Assemble, check and render bulletin issues."),
    "sessions": ("sessions", "Information sessions, registrations and invites."),
    "awareness": ("awareness", "The awareness calendar: campaigns of the team's year, their rules and dates."),
    "feedback": ("feedback", "Feedback questionnaires: import, summary, column mapping."),
    "mailings": ("mailings", "Mailings (each send and its ledger): status, ledger export, SMTP test."),
    "mail": ("mail", "Microsoft 365 sign-in (OAuth2) and a check of the mail settings."),
    "inbox": ("inbox", "The return path: bounces, replies and requests from the mailbox."),
    "partners": ("partners", "Known partner organisations: their e-mails become draft bulletin items."),
    "privacy": ("privacy", "Personal data: the retention schedule (dry run, run, history) and the audit of it all."),
    "serve": ("serve", "Serve one-click unsubscribe, preferences, sign-up and session registration (double opt-in)."),
    "worker": ("worker", "Do what is due (queue, scheduled sends, reminders, mailbox, journal, backup) until stopped."),
    "status": ("status", "The data folder, its last save, the web journal, its applier and the worker."),
    "restore": ("restore", "Put a backup back (and its key): the current database and key are kept as a backup first."),
    "web-apply": ("serve", ""),  # hidden: run by `serve` to apply the web journal
}
ALIASES: dict[str, str] = {"calendar": "awareness", "campaigns": "mailings"}
"""Old group names, kept hidden for one release (CHANGELOG): each still works and says its new name on stderr."""


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
        help_text = COMMANDS[cmd_name][1]  # a listing for --help only; no help text = hidden
        return typer.core.TyperCommand(cmd_name, help=help_text, hidden=not help_text)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in ALIASES and args[0] not in self.commands:
            new = ALIASES[args[0]]
            typer.echo(f"bulletin-tui: `{args[0]}` is now `{new}`; the old name goes in the next release", err=True)
            args = [new, *args[1:]]
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
    from .domain.clock import check_process_clock

    check_process_clock()  # a BULLETIN_NOW that does not parse is refused before anything opens
    settings = load_settings(config, data_dir=data_dir)
    ctx.obj = CliState(settings=settings, create=create)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from .tui.app import run_app

        run_app(settings, create=create)


def main() -> None:
    from .commands.common import CliState

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
    is shown. A lookup or type error from a fast reader of raw records names the damaged record, if one is.
    The error types are imported only here, so `--help` stays light."""
    from pydantic import ValidationError

    from .commands.common import damaged_record
    from .domain.errors import DomainError, describe_validation_error
    from .storage.errors import StorageError

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
