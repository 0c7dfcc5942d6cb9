"""`bulletin-tui demo`"""

from __future__ import annotations

import typer

from ..services.demo.loader import load_demo
from .common import state


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(ctx: typer.Context) -> None:
        """Load sample data (idempotent): items and sessions from KCSP papers, fake subscribers."""
        typer.echo(load_demo(state(ctx).context()).summary())
