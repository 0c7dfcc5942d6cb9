"""The web face's use cases: applying the inbound journal (unsubscribes, preference changes, confirmed sign-ups and
registrations) in one write, the journalled unsubscribes the send engine checks, and signed links and form tokens.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "apply_pending": "journal_apply",
    "applied_entries": "journal_apply",
    "journal_unsubscribed": "pending",
    "pending_entries": "journal_apply",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
