"""Files a user names (imports, attachments, saved e-mails, certificates): read within limits, checked before
they are parsed (docs/limits.md).

Modules:
- `files`: Files the user names (imports, attachments, saved e-mails).
"""
