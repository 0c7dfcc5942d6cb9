"""The team mailbox, read as data: parsing what comes back (delivery reports, complaints, calendar replies,
auto-replies) without touching the database. `services/inbox` decides what each message changes."""
