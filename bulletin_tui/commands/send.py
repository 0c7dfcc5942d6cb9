"""`bulletin-tui send`"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `send` command to the root app."""
