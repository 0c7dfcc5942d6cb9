"""`bulletin-tui status`: the data folder at a glance for whoever runs `serve` (the last save and who made it, the
inbound journal, the applier's last run, the worker: what it did last and what is next). Reads only; the database is
opened (read-only) only to count pending requests. `status --worker` is the worker's health check."""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.clock import SystemClock
from ..services.folder.status import Status, settings_folder_status
from ..services.worker import status as worker_status
from .common import fail, print_json, state


def read_status(ctx: typer.Context) -> Status:
    return settings_folder_status(state(ctx).settings, SystemClock().now())


def status(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Machine-readable status.")]
           = False, worker: Annotated[bool, typer.Option("--worker", help=(
               "Only the worker's health, in one line: exit 0 while a worker runs here with a heartbeat younger "
               "than 120 s, else 1 (a healthcheck)."))] = False) -> None:
    """The data folder, its last save, the web journal, its applier and the worker.

    The worker: its pid and heartbeat, then each job's last run (when, how it went) and when it is next due.

    Exit 0, or 1 when the applier's last run failed; with --worker, 1 when no healthy worker runs."""
    if worker:
        healthy, line = worker_status.health(state(ctx).settings.data_dir, SystemClock().now())
        if not healthy:
            fail(line)
        typer.echo(line)
        return
    found = read_status(ctx)
    if as_json:
        print_json(found.as_json())
    else:
        for line in found.lines():
            typer.echo(line)
    raise typer.Exit(1 if found.applier is not None and not found.applier.ok else 0)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
