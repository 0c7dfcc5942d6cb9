"""`privacy audit` on the three-year folder: counts and oldest dates per place, what covers each, before and after
the retention run; and the same audit as a table in the app (month tools: "Personal data audit")."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.privacy.audit import privacy_audit
from bulletin_tui.services.privacy.places import PLACES
from bulletin_tui.tui.app import make_app
from bulletin_tui.tui.screens.privacy_audit import PrivacyAuditModal

from .conftest import run_cli


def _audit(data: Path) -> dict[str, dict[str, object]]:
    return {row["place"]: row for row in json.loads(run_cli(data, "privacy", "audit", "--json").stdout)}


def test_the_audit_counts_each_place_and_says_what_covers_it(seeded: Path) -> None:
    before = _audit(seeded)
    assert list(before) == [p.name for p in PLACES]
    assert before["subscribers"]["count"] == 38 and before["subscribers"]["oldest"] == "2023-03-20T10:00:00+00:00"
    assert before["registrations"]["count"] == 64
    assert (before["send_ledgers"]["count"], before["send_ledgers"]["unit"]) == (260, "recipients")
    assert before["suppressions"]["retention"].startswith("kept: the hashes honour opt-outs")
    assert "[retention] registrations_months" in str(before["registrations"]["retention"])
    assert before["backups"]["erasure"].startswith("reported with the moment each is pruned")
    assert all(row["subject_access"] for row in before.values())
    text = run_cli(seeded, "privacy", "audit").stdout
    assert "registrations (bulletin.json: registrations): 64 registrations, oldest 25 May 2023" in text

    run_cli(seeded, "privacy", "retention", "--yes")
    after = _audit(seeded)
    assert after["subscribers"]["count"] == 31 and after["registrations"]["count"] == 37
    assert after["send_ledgers"]["oldest"] >= "2024-11-22"  # type: ignore[operator]
    assert after["exports"]["count"] == 0 and after["logs"]["count"] == 2


async def test_the_audit_table_in_the_app(seeded_ctx: AppContext) -> None:
    app = make_app(seeded_ctx, offer_demo=False)  # type: ignore[arg-type]
    async with app.run_test(size=(160, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Personal data audit" in titles
        app.action_privacy_audit()
        await pilot.pause()
        assert isinstance(app.screen, PrivacyAuditModal)
        table = app.screen.query_one(DataTable)
        expected = privacy_audit(seeded_ctx)
        assert table.row_count == len(expected) == len(PLACES)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[:3] == ["subscribers", "bulletin.json: subscribers", f"{expected[0].count:,} people"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PrivacyAuditModal)
