"""What every command shares: the lazily opened context, JSON output, one-line errors."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import typer

from ..config import Settings
from ..services.context import AppContext, open_context
from ..storage.database import DB_NAME
from ..storage.outputs import check_output_file, check_output_folder


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
    """Requests the web face accepted while nobody held the writer lock are applied before anything else."""
    from ..services.web.journal_apply import apply_pending
    from ..storage.journal import journal_path

    if journal_path(ctx.data_dir).exists():
        applied = sum(apply_pending(ctx).values())
        if applied:
            typer.echo(f"Applied {applied} request(s) from the web face (unsubscribes, sign-ups, registrations)",
                       err=True)


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


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"bulletin-tui: {message}", err=True)
    raise typer.Exit(code)
