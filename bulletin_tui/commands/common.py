"""What every command shares: the lazily opened context, JSON output, one-line errors."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson
import typer

from ..config import Settings
from ..services.context import AppContext, open_context
from ..storage.database import DB_NAME
from ..storage.errors import RecordInvalidError
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
            fresh = missing and not (data_dir / "backups").exists()
            create = self.create or (fresh and not read_only)
            self._context = open_context(self.settings, create=create, read_only=read_only and not (create and missing))
            if missing and (data_dir / DB_NAME).exists():
                typer.echo(f"Created a new database in {data_dir}", err=True)
            CliState.last_opened = self._context.store
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None


def damaged_record() -> RecordInvalidError | None:
    """The first record of the last opened database that its model refuses, if any (slow; error path only)."""
    store = CliState.last_opened
    return None if store is None else store.first_invalid_record()


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"bulletin-tui: {message}", err=True)
    raise typer.Exit(code)
