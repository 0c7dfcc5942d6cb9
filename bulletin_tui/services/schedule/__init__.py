"""Scheduled sends: a bulletin send recorded for a moment (`send ISSUE --at "2027-01-08 09:00"`, the send screen's
"send at" field), listed, cancellable until it starts, and sent by `bulletin-tui worker` through the one campaign
pipeline (services.campaigns), each exactly once across a crash.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "ScheduleState": "records",
    "ScheduledSend": "records",
    "scheduled_sends": "records",
    "cancel_scheduled": "planning",
    "get_scheduled": "planning",
    "list_scheduled": "planning",
    "parse_send_at": "planning",
    "schedule_send": "planning",
    "upcoming": "planning",
    "claim_next": "sending",
    "send_claimed": "sending",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
