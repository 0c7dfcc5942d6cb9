"""--help output that reads right: flags take no value, so they show no `<bool>` type.

typer 0.29 labels every flag (`--json`, `--restricted`, even `--help`) `<bool>` in the options table, as if it
took a value. One wrapper around its display hook leaves flags without a type and everything else as it was.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_original = TyperOption.display_type_rich


def _display_type_rich(self: TyperOption, ctx: Any) -> str | None:  # ctx: typer's own (vendored) click Context
    if self.is_flag and not self.count and self.metavar is None:
        return None
    return _original(self, ctx)


def quiet_flag_types() -> None:
    """Install the wrapper (idempotent)."""
    TyperOption.display_type_rich = _display_type_rich  # type: ignore[method-assign]
