"""The team mailbox over IMAP: connecting and signing in (`imap.py`); inbox processing builds on it."""
