"""The return path: one pass over the team mailbox turns bounces, complaints, calendar replies and unsubscribe
requests into recorded, undoable changes; the rest waits in a review queue for a person.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "FetchReport": "fetch",
    "Folders": "fetch",
    "action_log": "review",
    "dismiss": "review",
    "fetch_inbox": "fetch",
    "find_message": "review",
    "folders": "connect",
    "open_mailbox": "connect",
    "register_sender": "review",
    "review_queue": "review",
    "undo": "review",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
