"""What every command shares: the lazily opened context, JSON output, one-line errors."""

from __future__ import annotations

import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import orjson
import typer

from ..config import Settings
from ..services.context import AppContext, open_context
from ..services.folder.fresh import is_brand_new
from ..storage.database import DB_NAME
from ..storage.errors import RecordInvalidError
from ..storage.outputs import check_output_file, check_output_folder
from ..storage.repositories import Store


@dataclass
class CliState:
    settings: Settings
    create: bool = False
    _context: AppContext | None = field(default=None, repr=False)
    last_opened: ClassVar[Store | None] = None
    """The store the last command opened (its data stays in memory after closing), to explain a failure."""

    def context(self, *, read_only: bool = False) -> AppContext:
        """Open the data dir once per command.

        A writing command starts a database in a brand-new data dir (one with no database and no backups);
        a reading command or a dry run never creates anything unless `--create` was given."""
        if self._context is None:
            data_dir = self.settings.data_dir
            missing = not (data_dir / DB_NAME).exists()
            create = self.create or (is_brand_new(data_dir) and not read_only)
            self._context = open_context(self.settings, create=create, read_only=read_only and not (create and missing))
            if missing and (data_dir / DB_NAME).exists():
                typer.echo(f"Created a new database in {data_dir}", err=True)
            CliState.last_opened = self._context.store
            for notice in self._context.store.db.notices:
                typer.echo(f"bulletin-tui: {notice}", err=True)
            if not self._context.store.read_only:
                _apply_web_requests(self._context)
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None


def _apply_web_requests(ctx: AppContext) -> None:
    """Requests the web face accepted and nobody applied yet are applied before anything else."""
    from ..services.web.journal_apply import apply_pending
    from ..storage.journal import journal_path

    if journal_path(ctx.data_dir).exists():
        applied = sum(apply_pending(ctx).values())
        if applied:
            typer.echo(f"Applied {applied} request(s) from the web face (unsubscribes, sign-ups, registrations)",
                       err=True)


def damaged_record() -> RecordInvalidError | None:
    """The first record of the last opened database that its model refuses, if any (slow; error path only)."""
    store = CliState.last_opened
    return None if store is None else store.first_invalid_record()


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def check_output(ctx: typer.Context, path: Path, *, folder: bool = False) -> None:
    """Refuse an output inside the data folder before anything is opened (the services check again)."""
    data_dir = state(ctx).settings.data_dir
    (check_output_folder if folder else check_output_file)(path, data_dir)


def print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


def echo_finding(line: str) -> None:
    """One finding per line; on a terminal, wrapped at word boundaries with a hanging indent (never cut
    mid-word by the terminal); piped, one line each for scripts."""
    if sys.stdout.isatty():
        width = max(shutil.get_terminal_size().columns - 1, 40)
        line = textwrap.fill(line, width=width, subsequent_indent="    ", break_long_words=False,
                             break_on_hyphens=False)
    typer.echo(line)


def echo_note(text: str) -> None:
    """A summary line on stderr, on a line of its own: stdout is flushed first so the two never interleave."""
    sys.stdout.flush()
    typer.echo(text, err=True)


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"bulletin-tui: {message}", err=True)
    raise typer.Exit(code)
