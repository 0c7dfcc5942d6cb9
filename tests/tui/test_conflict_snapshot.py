"""The edit-conflict dialog at 120x36 (#24): who changed the item and when, each field as opened, theirs and
yours, and the three choices. The other save's time is fixed (the storage stamps the wall clock)."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import DataTable

from bulletin_tui.services.bulletins.assembly import edit_item
from bulletin_tui.storage import atomic
from bulletin_tui.tui.app import make_app
from bulletin_tui.tui.screens.conflict import ConflictModal
from tests.conftest import DEMO_ISSUE, FIXED_NOW

from .conftest import SIZE
from .other_hands import second_context
from .test_snapshots import FIXED_SUBTITLE, settle


class FixedWallClock(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return FIXED_NOW.astimezone(tz)


def test_conflict_dialog(demo_ctx, clock, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "datetime", FixedWallClock)
    other = second_context(demo_ctx, clock, who="bob.smith (terminal app)")

    async def edit_over_bob(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.sub_title = FIXED_SUBTITLE  # before the screen under the dialogs is made
        await pilot.press("3")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        item_id = pilot.app.screen.saving.key
        await pilot.press("end", *" (updated)")
        edit_item(other, item_id, title="Bereaved by suicide: new support service", restricted=True,
                  link_text="Support after suicide (Kent and Medway)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConflictModal)

    try:
        assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                            run_before=settle(edit_over_bob))
    finally:
        other.close()
