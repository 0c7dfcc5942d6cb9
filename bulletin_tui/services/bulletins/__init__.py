"""Bulletin issues: create and list issues, assemble items (backlog, order, sections), pre-send checks,
mark ready, load an issue and have it rendered once (`prepare_issue`), render an issue to a folder (HTML,
text, archive page, .ics, sample .eml), and publish the archive as a static site.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "PublishedSite": "publish",
    "RenderedFiles": "render",
    "add_item": "assembly",
    "assign_item": "assembly",
    "backlog": "assembly",
    "blocking": "issues",
    "create_issue": "issues",
    "default_title": "issues",
    "edit_item": "assembly",
    "editable_issue": "assembly",
    "get_issue": "issues",
    "get_item": "assembly",
    "issue_content": "prepare",
    "issue_items": "assembly",
    "issues_containing": "assembly",
    "item_fields": "assembly",
    "list_issues": "issues",
    "load_issue": "prepare",
    "mark_ready": "issues",
    "move_item": "assembly",
    "new_item_id": "assembly",
    "publish_site": "publish",
    "prepare_issue": "prepare",
    "remove_item": "assembly",
    "render_to_folder": "render",
    "reopen": "issues",
    "run_checks": "issues",
    "sample_message": "render",
    "sample_values": "render",
    "update_issue": "issues",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
