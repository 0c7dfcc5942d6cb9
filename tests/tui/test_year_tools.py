"""Everything on keys (#25 item 8): the CLI's year-round capabilities in the app, found by the command palette from
any screen: publishing the archive, reminders, partners, editing the awareness calendar, restore (asks first) and
the web face's state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from bulletin_tui.services.awareness.campaigns import find_campaign
from bulletin_tui.services.partners.registry import find_partner
from bulletin_tui.services.sessions.mail import mail_queue
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.storage.database import DB_NAME
from bulletin_tui.storage.outputs import EXPORTS
from bulletin_tui.tui.screens.confirm import ConfirmModal, PromptModal
from bulletin_tui.tui.screens.documents import TextScreen
from bulletin_tui.tui.screens.pick import PickModal
from bulletin_tui.tui.screens.records_modal import FieldsModal, RecordListModal
from tests.conftest import DEMO_SESSION

from .conftest import SIZE, notifications

CAPABILITIES = {
    "Publish the bulletin archive": "publish_archive",
    "Session reminders": "send_reminders",
    "Partner organisations": "partners",
    "Awareness calendar: edit": "awareness_calendar",
    "Restore a backup": "restore_backup",
    "Status: web face, journal and worker": "web_status",
}


@pytest.mark.parametrize("screen_key", ["1", "2", "3", "4", "5", "6"])
async def test_the_palette_finds_each_capability_from_every_area(demo_ctx, app_for, screen_key: str) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(screen_key)
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in CAPABILITIES:
            assert any(title.startswith(wanted) for title in titles), (screen_key, wanted)


async def _palette(pilot, query: str) -> None:
    """Type into the command palette and run its first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def _answer(pilot, value: str | None = None) -> None:
    assert isinstance(pilot.app.screen, PromptModal), pilot.app.screen
    if value is not None:
        pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await pilot.pause()


async def _fill(pilot, **values: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, FieldsModal), screen
    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value
    await pilot.click("#save")
    await pilot.pause()


async def test_publish_the_archive_from_the_palette(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Publish the bulletin archive")
        await _answer(pilot)  # the exports folder, offered
        assert any("Published 1 issue(s)" in n for n in notifications(app))
    site = demo_ctx.data_dir / EXPORTS / "archive"
    assert (site / "index.html").is_file() and (site / "sessions.ics").is_file()


async def test_reminders_due_now_are_queued_and_sent(demo_ctx, app_for) -> None:
    register(demo_ctx, DEMO_SESSION, "reminded@example.org", name="Reminded")
    session = demo_ctx.store.sessions.get(DEMO_SESSION)
    demo_ctx.clock.advance(seconds=(session.start - timedelta(hours=20) - demo_ctx.clock.now()).total_seconds())
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Session reminders")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = " ".join(notifications(app))
        assert "1 reminder(s) due now queued" in said and "Reminders: 1 sent" in said
    reminders = [m for m in mail_queue(demo_ctx) if m.kind.value == "reminder"]
    assert [m.outcome.value for m in reminders] == ["sent"]


async def test_partners_are_added_edited_and_removed(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Partner organisations")
        assert isinstance(app.screen, RecordListModal)
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, name="Kent Fire and Rescue Service (test)", type="responsible authority",
                    domains="kfrs-test.example.org")
        partner = find_partner(demo_ctx, "Kent Fire and Rescue Service (test)")
        assert partner.domains == ["kfrs-test.example.org"]
        table = app.screen.query_one("#records", DataTable)  # the list again, with the new partner
        table.move_cursor(row=[r[0] for r in app.screen.rows].index(partner.slug))
        await pilot.press("e")
        await pilot.pause()
        await _fill(pilot, domains="kfrs-test.example.org, fire-test.example.org", addresses="duty@example.org")
        partner = find_partner(demo_ctx, partner.slug)
        assert partner.domains == ["kfrs-test.example.org", "fire-test.example.org"]
        assert partner.addresses == ["duty@example.org"]
        table = app.screen.query_one("#records", DataTable)
        table.move_cursor(row=[r[0] for r in app.screen.rows].index(partner.slug))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#confirm")
        await pilot.pause()
    assert partner.slug not in demo_ctx.store.collection("partners", type(partner), lambda p: p.slug)


async def test_the_awareness_calendar_is_edited(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Awareness calendar: edit")
        assert isinstance(app.screen, RecordListModal)
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, name="Scam Awareness Fortnight", rule="first Monday of June for 14 days",
                    topics="fraud, scams")
        campaign = find_campaign(demo_ctx, "Scam Awareness Fortnight")
        assert campaign.topics == ["fraud", "scams"] and campaign.rule is not None
        rows = [key for key, _cells in app.screen.rows]
        app.screen.query_one("#records", DataTable).move_cursor(row=rows.index(campaign.slug))
        await pilot.press("d")
        await pilot.pause()
        await _fill(pilot, dates="8-21 June", year="2027")
        dated = find_campaign(demo_ctx, campaign.slug)
        assert [(d.start.isoformat(), d.end.isoformat()) for d in dated.dates] == [("2027-06-08", "2027-06-21")]
        assert isinstance(app.screen, RecordListModal)


async def test_restore_asks_first_then_puts_the_backup_back(demo_ctx, app_for) -> None:
    from bulletin_tui.services.bulletins.issues import create_issue
    from bulletin_tui.services.folder.backups import backups

    create_issue(demo_ctx, "2027-01", title="Made after the backup")  # a save: the demo's state is backed up
    assert backups(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Restore a backup")
        assert isinstance(app.screen, PickModal)
        await pilot.press("enter")  # the newest
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "Every change made since is replaced" in app.screen.question
        await pilot.click("#confirm")
        await pilot.pause()
        assert any(n.startswith("Restored ") for n in notifications(app))
    assert "2027-01" not in demo_ctx.store.issues
    assert len(list((demo_ctx.data_dir / "backups").glob(f"{Path(DB_NAME).stem}-*.json"))) >= 2


async def test_the_web_face_state_is_shown(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Status: web face")
        assert isinstance(app.screen, TextScreen)
        shown = str(app.screen.query_one("#text-lines", Static).render())
        assert "Journal: " in shown and "0 pending" in shown and "Applier: has not run" in shown
        assert "Worker: " in shown
