"""Scheduled sends: a bulletin send recorded for a moment (`send ISSUE --at "2027-01-08 09:00"`, the send screen's
"send at" field), listed, cancellable until it starts, and sent by `bulletin-tui worker` through the one campaign
pipeline (services.mailings), each exactly once across a crash.

Modules:
- `next_issue`: Which bulletin is next: the one the dashboard shows.
- `planning`: Scheduling a bulletin send for a moment, listing scheduled sends and cancelling one before it starts.
- `records`: A scheduled send as stored: what goes to whom and when, and where it stands.
- `sending`: The worker's side of a scheduled send: claim the one that is due, send it, record the end.
"""
