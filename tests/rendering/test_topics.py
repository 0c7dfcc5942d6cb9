"""Topics on items from the CLI (the TUI form: tests/tui/test_bulletin_screen.py); demo session topics and
status."""

from __future__ import annotations

import json


def _topics(cli, item_id: str) -> list[str]:
    items = json.loads(cli("bulletin", "show", "2026-12", "--json"))
    return next(item["topics"] for item in items if item["id"] == item_id)


def test_add_item_and_edit_item_set_topics(cli):
    cli("bulletin", "new", "2026-12")
    cli("bulletin", "add-item", "2026-12", "--title", "16 Days of Action", "--category", "campaign",
        "--topic", "Domestic Abuse", "--topic", "Violence Against Women and Girls (VAWG)")
    assert _topics(cli, "16-days-of-action") == ["Domestic Abuse", "Violence Against Women and Girls (VAWG)"]
    cli("bulletin", "edit-item", "16-days-of-action", "--topic", "Domestic Abuse")
    assert _topics(cli, "16-days-of-action") == ["Domestic Abuse"]
    cli("bulletin", "edit-item", "16-days-of-action", "--title", "16 Days of Action 2026")
    assert _topics(cli, "16-days-of-action") == ["Domestic Abuse"]  # untouched without --topic
    cli("bulletin", "edit-item", "16-days-of-action", "--topic", "")
    assert _topics(cli, "16-days-of-action") == []
    assert "--topic" in cli("bulletin", "add-item", "--help")


def test_demo_2021_sessions_share_the_series_topics_and_past_sessions_read_delivered(cli):
    cli("demo")
    sessions = {s["slug"]: s for s in json.loads(cli("sessions", "list", "--json"))}
    series = [s for slug, s in sessions.items() if slug.startswith(("s02-", "s03-", "s04-"))]
    assert len(series) == 3
    for session in series:
        assert session["topics"][0] == "Prevent Education Officers" and len(session["topics"]) == 15
        assert all(len(topic) > 2 for topic in session["topics"])
    from_2016 = [s for slug, s in sessions.items() if "2016" in slug]
    assert from_2016 and all(s["status"] == "delivered" for s in from_2016)
    listing = cli("sessions", "list")
    assert all("scheduled" not in line for line in listing.splitlines() if "2016" in line)
