"""Demo data: sample issues and sessions from the KCSP papers' facts and clearly fake subscribers.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DemoReport": "loader",
    "load_demo": "loader",
    "load_facts": "loader",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
