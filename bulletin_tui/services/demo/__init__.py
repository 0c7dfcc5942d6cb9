"""Demo data: sample issues and sessions from the KCSP papers' facts and clearly fake subscribers.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "DemoReport": "loader",
    "load_demo": "loader",
    "load_facts": "loader",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
