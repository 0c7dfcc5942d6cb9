"""Feedback questionnaires: import a Microsoft Forms (or any CSV/XLSX) export with a column mapping saved per
session kind, summarise it per session and per year, and find or erase a person in it.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "FeedbackImport": "imports",
    "SessionFeedback": "summary",
    "Sheet": "sheet",
    "YearFeedback": "summary",
    "attendees": "summary",
    "choose_mapping": "mapping",
    "clear_mapping": "mapping",
    "erase_feedback": "privacy",
    "feedback_data": "privacy",
    "guess_roles": "mapping",
    "import_feedback": "imports",
    "mappings": "mapping",
    "read_sheet": "sheet",
    "responses": "imports",
    "remove_responses": "imports",
    "responses_for": "imports",
    "save_mapping": "mapping",
    "saved_mapping": "mapping",
    "session_feedback": "summary",
    "summary_text": "summary",
    "year_feedback": "summary",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
