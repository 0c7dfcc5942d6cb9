"""Subscribers: people and their consent, distribution lists, CSV import and undo, unsubscribe tokens,
the suppression list, the per-installation key, export for Excel, unsubscribe requests saved as .eml files,
unsubscribes the web face journalled but not yet applied (the send engine checks them).

Modules:
- `csvread`: Reading subscriber CSV files as people really have them.
- `export`: Export to CSV that Excel opens correctly (UTF-8 with BOM) and cannot run as formulas.
- `import_commit`: Committing a previewed import as one write, recording it as consent evidence.
- `import_rows`: Turning one CSV row into validated subscriber fields (or a reason it cannot be used).
- `imports`: CSV import: a preview that changes nothing, a commit that is one atomic write, and an exact undo.
- `joiners`: How many people joined in each recent month: the dashboard's chart.
- `lists`: Distribution lists: create, find by slug or name, and count members per status.
- `pending`: Unsubscribes answered by the web face but not yet applied to the database.
- `people`: Subscribers: audience, single additions and unsubscribes, each with its consent record.
- `secret`: The per-installation secret: 32 random bytes in a 0600 file in the data dir, never in the database.
- `suppression`: The suppression list (hard bounces, erasures).
- `tokens`: Unsubscribe tokens: HMAC-signed, URL-safe, carrying an opaque subscriber reference (never the address).
- `undo_rules`: What undoing an import may not take back: withdrawn consent.
- `unsubscribe_mail`: A batch of `mailto:` unsubscribe requests saved as .eml files.
- `who`: Who is who: correcting a person's organisation type and recording the lawful basis they are mailed on.
"""
