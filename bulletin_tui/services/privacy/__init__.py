"""Privacy: every place personal data lives (`places.PLACES`), and what goes through them all: subject access
(everything held about a person), erasure, the retention schedule and the personal-data audit.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "CLASSES": "retention",
    "PLACES": "places",
    "AuditRow": "audit",
    "RetentionResult": "retention",
    "apply_retention": "retention",
    "privacy_audit": "audit",
    "retention_runs": "retention",
    "EXTERNAL_COPIES": "subject",
    "ErasureReport": "subject",
    "audit_log": "subject",
    "backups_holding": "places_files",
    "erase": "subject",
    "exports_holding": "files",
    "outbox_messages_to": "files",
    "recipients_of": "files",
    "remove_outbox_messages": "files",
    "subject_access": "subject",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
