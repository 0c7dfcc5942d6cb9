"""The web face's use cases: applying the inbound journal (unsubscribes, preference changes, confirmed sign-ups and
registrations) in one write, the applier's status, the journal in subject access, signed links and form tokens.

Modules:
- `applier_status`: The journal applier's last outcome (`inbound/applier-status.json`).
- `journal_apply`: Applying the inbound journal.
- `privacy`: The inbound journal in subject access and erasure.
- `signing`: Signed, expiring values for the web face.
"""
