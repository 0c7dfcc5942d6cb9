"""The awareness calendar: campaigns of the team's year (rules and a year's actual dates), seeded with the events
of the source papers; what falls in a window or a month; bulletin items made from them; the check that an issue
mentions the campaigns starting in its month.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "SeedReport": "seed",
    "add_campaign": "campaigns",
    "add_campaign_items": "items",
    "campaign_findings": "items",
    "campaigns_table": "campaigns",
    "edit_campaign": "campaigns",
    "find_campaign": "campaigns",
    "issue_month": "schedule",
    "list_campaigns": "campaigns",
    "month_campaigns": "schedule",
    "new_issue_with_campaigns": "items",
    "record_dates": "campaigns",
    "remove_campaign": "campaigns",
    "seed_campaigns": "seed",
    "starting_in_issue_month": "schedule",
    "upcoming": "schedule",
    "year_editions": "schedule",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
