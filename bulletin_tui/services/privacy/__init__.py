"""Privacy: subject access (everything held about a person) and erasure, including files outside the database.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "EXTERNAL_COPIES": "subject",
    "ErasureReport": "subject",
    "audit_log": "subject",
    "backups_holding": "subject",
    "erase": "subject",
    "exports_holding": "files",
    "outbox_messages_to": "files",
    "recipients_of": "files",
    "remove_outbox_messages": "files",
    "subject_access": "subject",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
