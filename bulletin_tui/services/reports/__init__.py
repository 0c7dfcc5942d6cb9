"""Reports: the financial-year KCST update for the partnership.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BulletinLine": "data",
    "SessionLine": "data",
    "YearFacts": "data",
    "attendance_chart": "report",
    "build_report": "report",
    "london_midnight": "data",
    "render_report": "report",
    "subscribed_at": "data",
    "year_facts": "data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
