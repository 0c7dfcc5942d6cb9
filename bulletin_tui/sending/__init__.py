"""Sending engine: MIME building, transports (outbox, SMTP), rate limits, the ledger and the campaign runner."""
