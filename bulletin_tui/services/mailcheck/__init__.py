"""`mail check`: every step of reaching the mailbox (SMTP and IMAP, nothing sent), each Graph permission Teams
needs, and `mail check --deliverability` (one real message sent and read back). Above mailauth, inbox, mailings and
teams, whose parts it checks.

Modules:
- `check`: `mail check`: every step of reaching the mailbox (SMTP and IMAP), each with ✓/✗.
- `check_imap`: The IMAP half of `mail check`.
- `check_smtp`: The SMTP half of `mail check`: resolve, token, connect, STARTTLS, sign in.
- `deliverability`: `mail check --deliverability`.
- `deliverability_headers`: Reading what the receiving server wrote.
- `deliverability_imap`: The mailbox half of the deliverability check.
- `deliverability_message`: The deliverability check's test message.
- `deliverability_verdicts`: The verdicts of the deliverability check.
- `setup_check`: `mail check`: the mailbox steps, then (with [teams] organiser set) each Graph permission.
"""
