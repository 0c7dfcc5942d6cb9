"""Readable documents (#25 item 7): the yearly report rendered with Textual's Markdown (tables, the chart as bars),
subject access as sections per place with counts, both saved to the exports folder by default (and the report as
Word); SVG snapshots of both at 120x36."""

from __future__ import annotations

import json

import docx
from textual.widgets import Input, Markdown, Tree

from bulletin_tui.services.sessions.attendance import mark_attendance
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.services.yearly_report.report import build_report
from bulletin_tui.storage.outputs import EXPORTS
from bulletin_tui.tui.app import make_app
from bulletin_tui.tui.screens.confirm import PromptModal
from bulletin_tui.tui.screens.documents import ReportScreen
from bulletin_tui.tui.screens.subject_view import SubjectAccessScreen

from .conftest import SIZE, notifications
from .test_snapshots import FIXED_SUBTITLE

YEAR = "2021/22"  # the demo's year with sessions delivered and a bulletin sent
HELD = "s04-2021-10-19"


def _attendance(ctx) -> str:
    """Three people at a 2021 session: one came, one did not, one not recorded; returns one of them."""
    for name in ("came", "absent", "unknown"):
        register(ctx, HELD, f"{name}@example.org", name=name.title())
    mark_attendance(ctx, HELD, "came@example.org", True)
    mark_attendance(ctx, HELD, "absent@example.org", False)
    return "came@example.org"


async def _open_report(pilot) -> ReportScreen:
    pilot.app.action_yearly_report(YEAR)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    return screen


async def test_the_report_is_rendered_and_saved_into_the_exports_folder(demo_ctx, app_for) -> None:
    _attendance(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_report(pilot)
        markdown = screen.query_one(Markdown)
        assert markdown.source == build_report(demo_ctx, YEAR)
        rendered = [type(block).__name__ for block in markdown.children]
        assert rendered.count("MarkdownTable") == 3 and "MarkdownFence" in rendered  # tables and the bar chart
        assert rendered[0] == "MarkdownH1"
        await pilot.press("s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptModal)
        suggested = demo_ctx.data_dir / EXPORTS / "kcst-update-2021-22.md"
        assert prompt.query_one(Input).value == str(suggested)
        await pilot.press("enter")
        await pilot.pause()
        assert suggested.read_text(encoding="utf-8") == markdown.source
        assert oct(suggested.stat().st_mode & 0o777) == "0o600" and any("Saved" in n for n in notifications(app))
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        word = docx.Document(str(demo_ctx.data_dir / EXPORTS / "kcst-update-2021-22.docx"))
        assert word.paragraphs[0].text == f"Kent Community Safety Team: update for the partnership, {YEAR}"
        assert len(word.inline_shapes) == 1


async def test_a_report_path_inside_the_data_folder_is_refused(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _open_report(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(demo_ctx.data_dir / "report.md")
        await pilot.press("enter")
        await pilot.pause()
        assert not (demo_ctx.data_dir / "report.md").exists()
        assert any("inside the data folder" in n for n in notifications(app))


async def test_subject_access_shows_a_section_per_place_with_counts(demo_ctx, app_for) -> None:
    email = _attendance(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.action_subject_access(email)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SubjectAccessScreen)
        tree = screen.query_one(Tree)
        sections = {str(node.label).split("  ")[0]: node for node in tree.root.children}
        assert list(sections)[:6] == ["Subscribers", "Imports", "Suppressions", "Partner contacts", "Session mail",
                                      "Registrations"]
        registrations = sections["Registrations"]
        assert str(registrations.label).split("  ")[1] == "1" and registrations.is_expanded
        assert str(sections["Subscribers"].label).split("  ")[1] == "0" and not sections["Subscribers"].is_expanded
        [record] = [n for n in registrations.children if "registrations" in str(n.label)][0].children
        assert str(record.label).startswith("1. s04-2021-10-19") and "attended: True" in [
            str(leaf.label) for leaf in record.children]
        assert screen.view.records == sum(p.count for p in screen.view.places if not p.copy) >= 2
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    saved = json.loads((demo_ctx.data_dir / EXPORTS / "subject-access.json").read_text(encoding="utf-8"))
    assert saved["email"] == email and saved["places"]["registrations"] == 1


def _settled(then):
    async def run_before(pilot) -> None:
        await then(pilot)
        await pilot.pause()
        pilot.app.sub_title = FIXED_SUBTITLE
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_report_view_snapshot(demo_ctx, snap_compare) -> None:
    _attendance(demo_ctx)
    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE, run_before=_settled(_open_report))


def test_subject_access_view_snapshot(demo_ctx, snap_compare) -> None:
    email = _attendance(demo_ctx)

    async def open_view(pilot) -> None:
        pilot.app.action_subject_access(email)
        await pilot.pause()
        await pilot.press("enter")

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE, run_before=_settled(open_view))
