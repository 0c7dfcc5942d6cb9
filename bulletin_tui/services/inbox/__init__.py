"""The return path: one pass over the team mailbox turns bounces, complaints, calendar replies and unsubscribe
requests into recorded, undoable changes; the rest waits in a review queue for a person (e-mails from known
partners as draft bulletin items).

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "Accepted": "accept",
    "ContributionDraft": "drafts",
    "FetchReport": "fetch",
    "Folders": "fetch",
    "accept": "accept",
    "action_log": "review",
    "add_from_eml": "accept",
    "describe": "drafts",
    "dismiss": "review",
    "draft_for": "accept",
    "drafts_table": "drafts",
    "fetch_inbox": "fetch",
    "find_message": "review",
    "folders": "connect",
    "next_issue": "accept",
    "open_mailbox": "connect",
    "register_sender": "review",
    "review_queue": "review",
    "undo": "review",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
