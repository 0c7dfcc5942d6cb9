"""Mailings (`bulletin-tui mailings`): sending a bulletin issue to a list through the one runner, resume and retry,
test sends, follow-ups, session mail, listing mailings and exporting their ledgers. `CampaignHandle` is the one way a
face (CLI or TUI) starts, pauses, resumes and stops a send. (In code and in ledger ids a mailing is still called a
"campaign" — `Campaign*` classes, `campaign_id` — a name kept for the files already on disk; to users, "campaign"
means an awareness campaign.)

Modules:
- `audience`: Who a bulletin campaign goes to.
- `bounce_lift`: `subscribers unsuppress --mailing ID`: lift the suppressions one mailing's bounces made.
- `budget_fit`: Before a send over SMTP: the mailbox's budget left today and whether this send fits.
- `confirmations`: Confirmation e-mails for the web face's double opt-in, sent the one way every message is sent.
- `followup`: The follow-up after a session as a campaign.
- `followup_additions`: Attendance recorded after a follow-up started: those people added to its ledger as queued.
- `handle`: One bulletin send as both faces drive it (`CampaignHandle`): run, pause, resume, stop.
- `keyed`: Campaigns of separate messages over a long-lived ledger (session mail).
- `names`: A campaign as people call it (the issue's title and the lists' names), rather than its id.
- `runs`: Campaigns as a service: where ledgers live, starting/resuming a run, listing, CSV export, privacy hooks.
- `send`: Sending a bulletin issue to one or several lists: checks, one render per variant, the runner.
- `session_delivery`: Deliver queued session mail through the one campaign runner (`keyed`).
- `single`: One message outside any campaign (a `[TEST]` send, the deliverability check).
"""
