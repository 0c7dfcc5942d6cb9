"""Campaigns: sending a bulletin issue to a list through the campaign runner, resume and retry, test sends,
listing campaigns and exporting their ledgers. `CampaignHandle` is the one way a face (CLI or TUI) starts,
pauses, resumes and stops a send.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "CampaignHandle": "handle",
    "CampaignStatus": "runs",
    "already_received": "audience",
    "audience_snapshot": "audience",
    "bulletin_builder": "send",
    "bulletin_campaign": "send",
    "bulletin_template": "send",
    "campaign_audience": "audience",
    "campaign_id_for": "send",
    "campaign_status": "runs",
    "check_smtp_connection": "send",
    "choose_list": "send",
    "choose_lists": "audience",
    "entries_for": "runs",
    "export_csv": "runs",
    "FollowUpHandle": "followup",
    "followup_campaign": "followup",
    "followup_campaign_id": "followup",
    "followup_message": "followup",
    "followup_status": "followup",
    "send_followup": "followup",
    "send_followup_test": "followup",
    "hard_bounce_suppressor": "send",
    "ledger_entries_for": "send",
    "ledger_path": "runs",
    "multi_list_builder": "send",
    "list_campaigns": "runs",
    "open_campaign": "runs",
    "prepare_variants": "send",
    "rate_limiter": "runs",
    "recipients": "runs",
    "record_outcome": "send",
    "redact": "runs",
    "redact_ledgers": "send",
    "run_options": "runs",
    "send_bulletin": "send",
    "send_test": "send",
    "send_tests": "send",
    "still_wanted": "audience",
    "unsubscribe_linker": "send",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
