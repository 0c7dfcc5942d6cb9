"""`bulletin-tui restore BACKUP`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..storage.restore import restore_backup
from .common import state


def restore(
    ctx: typer.Context,
    backup: Annotated[Path, typer.Argument(help="A backup file (a path, or its name in the data folder's backups/).")],
) -> None:
    """Put a backup back (and its key): the current database and key are kept as a backup first."""
    data_dir = state(ctx).settings.data_dir
    done = restore_backup(data_dir, backup)
    typer.echo(f"Restored {done.backup} to {data_dir}" + (" with its key" if done.key_restored else
                                                           " (it has no key copy: secret.key was left as it is)"))
    if done.kept is not None:
        typer.echo(f"The database it replaced is kept as {done.kept}")


def register(app: typer.Typer) -> None:
    """Add the `restore` command to the root app."""
    app.command("restore")(restore)
