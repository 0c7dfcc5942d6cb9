"""The return path: one pass over the team mailbox turns bounces, complaints, calendar replies and unsubscribe
requests into recorded, undoable changes; the rest waits in a review queue for a person (e-mails from known
partners as draft bulletin items).

Modules:
- `accept`: Deciding about a draft item: accept it into the backlog, the next issue or a named one.
- `accept_original`: `inbox accept --keep-attachments`: the original read back from the mailbox first.
- `connect`: The team mailbox's IMAP connection, signed in as the settings say (password or OAuth2).
- `drafts`: Draft bulletin items from partners' e-mails.
- `effects`: What each kind of returned message changes.
- `fetch`: One pass over the team mailbox.
- `fetch_once`: `inbox fetch`: read the team mailbox once, in one go.
- `matching`: Finding what a returned message is about.
- `original`: The original of a reviewed message, read back from the team mailbox (to keep its attachments).
- `privacy`: What the inbox holds about one person (for subject access) and removing it (for erasure).
- `records`: What the inbox pass records.
- `review`: What a person decides: the review queue (register the sender, cancel their place, dismiss).
- `undo`: The log of the inbox's changes and undo.
"""
