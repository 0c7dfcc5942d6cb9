"""Subscribers: people and their consent, distribution lists, CSV import and undo, unsubscribe tokens,
the suppression list, the per-installation key, export for Excel, unsubscribe requests saved as .eml files.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "CsvRow": "csvread",
    "CsvTable": "csvread",
    "ImportPreview": "imports",
    "MailOutcome": "unsubscribe_mail",
    "NewPerson": "imports",
    "RowFields": "import_rows",
    "RowNote": "imports",
    "UndoResult": "import_commit",
    "UnsubscribeResult": "people",
    "add_list": "lists",
    "add_subscriber": "people",
    "all_lists": "lists",
    "rename_list": "lists",
    "audience": "people",
    "commit_import": "import_commit",
    "decode": "csvread",
    "derived_key": "secret",
    "digester": "suppression",
    "eml_files": "unsubscribe_mail",
    "export_csv": "export",
    "export_rows": "export",
    "find_tokens": "tokens",
    "fingerprint": "imports",
    "get_subscriber": "people",
    "header_key": "csvread",
    "import_file": "import_commit",
    "import_records": "imports",
    "installation_secret": "secret",
    "is_subscribed": "people",
    "is_suppressed": "suppression",
    "matching_digests": "suppression",
    "lift_campaign": "suppression",
    "list_imports": "import_commit",
    "member_counts": "lists",
    "neutralise": "export",
    "new_import_id": "imports",
    "preview_import": "imports",
    "process_unsubscribe_mail": "unsubscribe_mail",
    "read_csv": "csvread",
    "read_text": "csvread",
    "reference_index": "tokens",
    "resolve_list": "lists",
    "resolve_list_readonly": "imports",
    "row_is_subscribed": "people",
    "row_fields": "import_rows",
    "save_person": "people",
    "secret_path": "secret",
    "set_lists": "people",
    "subscribers_on": "people",
    "suppress": "suppression",
    "suppressed_digests": "suppression",
    "suppression_check": "suppression",
    "suppression_digest": "suppression",
    "suppression_reason": "suppression",
    "suppressions": "suppression",
    "token_maker": "tokens",
    "undo_import": "import_commit",
    "unsubscribe": "people",
    "unsubscribe_token": "tokens",
    "unsuppress": "suppression",
    "update_details": "people",
    "verify_unsubscribe_token": "tokens",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
