"""The web face's use cases: applying the inbound journal (unsubscribes, preference changes, confirmed sign-ups and
registrations) in one write, the journalled unsubscribes the send engine checks, and signed links and form tokens.

Modules:
- `applier_status`: The journal applier's last outcome (`inbound/applier-status.json`).
- `folder_status`: The data folder at a glance for whoever runs `serve`.
- `journal_apply`: Applying the inbound journal.
- `pending`: Unsubscribes answered by the web face but not yet applied to the database.
- `privacy`: The inbound journal in subject access and erasure.
- `signing`: Signed, expiring values for the web face.
"""
