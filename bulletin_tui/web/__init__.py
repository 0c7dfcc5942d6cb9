"""The public web face (`bulletin-tui serve`): one-click unsubscribe, a preference page, sign-up and session
registration with double opt-in, and the published archive. It never writes the database: accepted requests go
to the inbound journal (fsynced before the answer) and its applier (or any writing command) applies them."""
