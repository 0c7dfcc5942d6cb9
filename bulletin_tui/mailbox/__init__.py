"""The team mailbox: connecting and signing in over IMAP (`imap.py`), one folder's messages (`folder.py`), and
what comes back read as data (delivery reports, complaints, calendar replies, auto-replies) without touching the
database. `services/inbox` decides what each message changes."""
