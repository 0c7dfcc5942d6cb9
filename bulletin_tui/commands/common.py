"""What every command shares: the lazily opened context, JSON output, one-line errors."""

from __future__ import annotations

import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any

import orjson
import typer

from ..config import Settings
from ..services.context import AppContext, open_context
from ..storage.database import DB_NAME


@dataclass
class CliState:
    settings: Settings
    create: bool = False
    _context: AppContext | None = field(default=None, repr=False)

    def context(self, *, read_only: bool = False) -> AppContext:
        """Open the data dir once per command. A brand-new data dir is created on first use."""
        if self._context is None:
            fresh = not (self.settings.data_dir / DB_NAME).exists() and not (
                self.settings.data_dir / "backups"
            ).exists()
            self._context = open_context(  # a brand-new data dir is created even by a reading command
                self.settings, create=self.create or fresh, read_only=read_only and not fresh
            )
            if fresh:
                typer.echo(f"Created a new database in {self.settings.data_dir}", err=True)
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


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
