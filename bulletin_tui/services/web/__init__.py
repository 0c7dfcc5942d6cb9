"""The web face's use cases: applying the inbound journal (unsubscribes, preference changes, confirmed sign-ups and
registrations) in one write, the journalled unsubscribes the send engine checks, and signed links and form tokens.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "apply_pending": "journal_apply",
    "applied_entries": "journal_apply",
    "journal_unsubscribed": "pending",
    "pending_entries": "journal_apply",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
