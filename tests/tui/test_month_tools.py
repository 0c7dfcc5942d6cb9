"""The month's tools in the app (report, subject access, erasure, lists, undo import, ledger export) and a
command palette that finds every action from any screen."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, Markdown, OptionList

from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.mailings.runs import list_campaigns
from bulletin_tui.services.subscribers.import_commit import import_file, list_imports
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.services.yearly_report.report import build_report
from bulletin_tui.tui.screens.confirm import ConfirmModal, PromptModal
from bulletin_tui.tui.screens.documents import ReportScreen
from bulletin_tui.tui.screens.pick import PickModal
from bulletin_tui.tui.screens.subject_view import SubjectAccessScreen
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE


async def _answer(pilot, value: str) -> None:
    assert isinstance(pilot.app.screen, PromptModal), pilot.app.screen
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await pilot.pause()


async def _pick(pilot, value: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, PickModal), screen
    options = screen.query_one(OptionList)
    options.highlighted = next(n for n in range(options.option_count) if options.get_option_at_index(n).id == value)
    await pilot.press("enter")
    await pilot.pause()


async def _confirm(pilot) -> None:
    assert isinstance(pilot.app.screen, ConfirmModal)
    await pilot.click("#confirm")
    await pilot.pause()


async def test_yearly_report_is_shown_and_saved(demo_ctx, app_for, tmp_path: Path) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
        await _answer(pilot, "2021/22")
        assert isinstance(app.screen, ReportScreen)
        shown = app.screen.query_one(Markdown).source
        assert shown == build_report(demo_ctx, "2021/22") and "2021/22" in shown
        await pilot.press("s")
        await pilot.pause()
        await _answer(pilot, str(tmp_path / "report.md"))
        assert (tmp_path / "report.md").read_text(encoding="utf-8") == shown


async def test_subject_access_for_the_highlighted_person_and_erasure(demo_ctx, app_for, tmp_path: Path) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        email = app.screen.selected_email()
        await pilot.press("d")
        await pilot.pause()
        await _answer(pilot, email)  # pre-filled with the highlighted person
        assert isinstance(app.screen, SubjectAccessScreen) and app.screen.view.email == email
        await pilot.press("s")
        await pilot.pause()
        await _answer(pilot, str(tmp_path / "sar.json"))
        assert email in json.dumps(json.loads((tmp_path / "sar.json").read_text(encoding="utf-8")))
        await pilot.press("escape")
        await pilot.pause()
        app.action_erase_person()
        await pilot.pause()
        await _answer(pilot, email)
        await _confirm(pilot)
        assert demo_ctx.store.subscribers.get(email.lower()) is None


async def test_lists_are_created_and_renamed(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "L")
        await pilot.pause()
        await _answer(pilot, "dhr-webinars")
        await _answer(pilot, "DHR webinars")
        assert demo_ctx.store.lists.get("dhr-webinars").name == "DHR webinars"
        await pilot.press("N")
        await pilot.pause()
        await _pick(pilot, "dhr-webinars")
        await _answer(pilot, "DHR learning webinars")
        assert demo_ctx.store.lists.get("dhr-webinars").name == "DHR learning webinars"


async def test_an_import_is_undone_after_confirmation(demo_ctx, app_for, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("email,name\nnew.one@example.org,New One\nnew.two@example.org,New Two\n", encoding="utf-8")
    _, record = import_file(demo_ctx, people, "e-bulletin")
    assert record is not None and demo_ctx.store.subscribers.get("new.one@example.org") is not None
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "z")
        await pilot.pause()
        await _pick(pilot, record.id)
        await _confirm(pilot)
    assert demo_ctx.store.subscribers.get("new.one@example.org") is None
    assert [r.undone_at is not None for r in list_imports(demo_ctx) if r.id == record.id] == [True]


async def test_a_campaign_ledger_is_exported(demo_ctx, app_for, tmp_path: Path) -> None:
    await send_bulletin(demo_ctx, DEMO_ISSUE, "e-bulletin", force=True, rate_per_minute=0)
    [campaign] = list_campaigns(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await _pick(pilot, campaign.campaign_id)
        await _answer(pilot, str(tmp_path / "ledger.csv"))
    with open(tmp_path / "ledger.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sent = [row["email"] for row in rows if row["state"] == "sent"]
    assert len(sent) == len(audience(demo_ctx, "e-bulletin")) == campaign.counts["sent"]


async def test_palette_finds_other_screens_actions_and_runs_them_there(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Bulletin: New issue", "Sessions: Register", "Subscribers: Import", "Send: Send",
                       "Yearly report", "Undo an import", "Export a mailing's ledger", "Erase a person"):
            assert any(title.startswith(wanted) for title in titles), wanted
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Bulletin: New issue")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.current_mode == "bulletin"
        assert isinstance(app.screen, PromptModal) and "new issue" in app.screen.question


async def test_saving_over_an_existing_file_asks_first(demo_ctx, app_for, tmp_path: Path) -> None:
    existing = tmp_path / "report.md"
    existing.write_text("keep me", encoding="utf-8")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
        await _answer(pilot, "2021/22")
        await pilot.press("s")
        await pilot.pause()
        await _answer(pilot, str(existing))
        assert isinstance(app.screen, ConfirmModal) and "Replace" in app.screen.question
        await pilot.press("escape")
        await pilot.pause()
        assert existing.read_text(encoding="utf-8") == "keep me"
