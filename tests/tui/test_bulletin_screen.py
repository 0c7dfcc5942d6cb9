"""Bulletin screen flows: compose an issue through the forms until its checks pass; reorder; backlog; preview."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label, Static, TextArea

from bulletin_tui.tui.screens.bulletin import BulletinScreen
from bulletin_tui.tui.screens.confirm import PromptModal
from bulletin_tui.tui.screens.item_form import ItemForm
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE


async def _select_issue(pilot, slug: str) -> BulletinScreen:
    screen = pilot.app.screen
    assert isinstance(screen, BulletinScreen)
    screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(slug))
    await pilot.pause()
    return screen


async def _fill_item(pilot, **values: str) -> None:
    form = pilot.app.screen
    assert isinstance(form, ItemForm)
    for name, value in values.items():
        if name == "summary":
            form.query_one("#summary-editor", TextArea).text = value
        else:
            form.query_one(f"#f-{name}", Input).value = value
    await pilot.pause()


async def test_compose_a_new_issue_and_pass_the_checks(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "n")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = "2026-12"
        await pilot.press("enter")
        await pilot.pause()
        assert "2026-12" in demo_ctx.store.issues
        screen = await _select_issue(pilot, "2026-12")
        for title in ("Knife crime funding round opens", "Anti-social behaviour guidance published"):
            await pilot.press("a")
            await pilot.pause()
            await _fill_item(pilot, title=title, link="https://www.kent.gov.uk/community-safety",
                             link_text=f"Read about: {title}", summary="A **short** summary for partners.")
            await pilot.press("ctrl+s")
            await pilot.pause()
        issue = demo_ctx.store.issues.get("2026-12")
        assert len(issue.item_ids) == 2
        assert demo_ctx.store.items.get(issue.item_ids[0]).title == "Knife crime funding round opens"
        await pilot.press("c")
        await pilot.pause()
        assert screen.checks.passed, [f.message for f in screen.checks.findings]
        assert screen.checks.summary() in str(screen.query_one("#preview-text", Static).render())


async def test_item_form_shows_errors_inline_and_refuses_to_save(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "a")
        await pilot.pause()
        await _fill_item(pilot, title="Bad link", link="javascript:alert(1)", closing_date="31/02/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        assert "https://" in str(form.query_one("#e-link", Label).render())
        assert str(form.query_one("#e-closing_date", Label).render())
        assert not [i for i in demo_ctx.store.items if i.title == "Bad link"]


async def test_reorder_keys_move_the_highlighted_item(demo_ctx, app_for) -> None:
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    before = list(demo_ctx.store.issues.get(slug).item_ids)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = await _select_issue(pilot, slug)
        screen.query_one("#item-table", DataTable).focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        after = demo_ctx.store.issues.get(slug).item_ids
        assert after == [before[1], before[0], *before[2:]]
        assert screen.query_one("#item-table", DataTable).cursor_row == 1
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert demo_ctx.store.issues.get(slug).item_ids == before


async def test_backlog_item_goes_into_the_issue(demo_ctx, app_for) -> None:
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await _select_issue(pilot, slug)
        await pilot.press("b")
        await pilot.pause()
        first = app.screen.items[0]
        await pilot.press("enter")
        await pilot.pause()
        assert demo_ctx.store.issues.get(slug).item_ids[-1] == first.id
        await pilot.press("escape")


async def test_plain_text_preview_renders_in_a_worker(demo_ctx, app_for) -> None:
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = await _select_issue(pilot, slug)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(screen.query_one("#preview-text", Static).render())
        assert text.startswith("Plain-text version")
        first_title = demo_ctx.store.items.get(demo_ctx.store.issues.get(slug).item_ids[0]).title
        assert first_title.split()[0] in text
        assert "Hello Sample Reader," in text and "XBT" not in text  # personalised for a sample reader


async def test_plain_text_preview_shows_the_unsubscribe_link_a_send_builds(demo_ctx, app_for) -> None:
    demo_ctx.settings.sender.unsubscribe_url = "https://example.org/unsubscribe"
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = await _select_issue(pilot, slug)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(screen.query_one("#preview-text", Static).render())
        assert "Unsubscribe from this list:\n  https://example.org/unsubscribe/sample" in text
        assert "XBTUNSUBX" not in text


async def test_open_html_writes_the_archive_page_and_asks_the_browser(demo_ctx, app_for, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await _select_issue(pilot, slug)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
    page = demo_ctx.data_dir / "previews" / f"{slug}.html"
    assert opened == [page.as_uri()]
    assert 'lang="en-GB"' in page.read_text(encoding="utf-8")


async def test_mark_ready_is_refused_while_checks_fail(demo_ctx, app_for) -> None:
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await _select_issue(pilot, slug)
        await pilot.press("r")
        await pilot.pause()
        assert demo_ctx.store.issues.get(slug).status.value == "draft"
        assert any(n.title == "Mark ready failed" for n in app._notifications)


async def test_table_columns_grow_to_fit_their_cells(demo_ctx, app_for) -> None:
    """Auto-width columns are measured from their cells, not just their headers."""
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        issues = app.screen.query_one("#issue-table", DataTable)
        items = app.screen.query_one("#item-table", DataTable)
        assert [c.content_width for c in issues.columns.values()][0] == len(DEMO_ISSUE)
        title = [c for c in items.columns.values() if str(c.label) == "Title"][0]
        assert title.content_width > 30


async def test_title_and_introduction_are_edited_in_a_form(demo_ctx, app_for) -> None:
    from bulletin_tui.tui.screens.issue_form import IssueForm

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await _select_issue(pilot, DEMO_ISSUE)
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        form.query_one("#f-title", Input).value = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, IssueForm) and "title is needed" in str(form.query_one("#e-title").render())
        form.query_one("#f-title", Input).value = "Community Safety e-Bulletin: winter edition"
        form.query_one("#f-intro", TextArea).text = "Welcome to the **winter** edition."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, IssueForm)
    issue = demo_ctx.store.issues.get(DEMO_ISSUE)
    assert (issue.title, issue.intro) == ("Community Safety e-Bulletin: winter edition",
                                          "Welcome to the **winter** edition.")


async def test_item_form_sets_topics(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        item = screen.items[0]  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#f-topics", Input).value = "Road Safety;  Substance Misuse ; "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_ctx.store.items.get(item.id).topics == ["Road Safety", "Substance Misuse"]


async def test_a_new_issue_becomes_the_selected_one(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BulletinScreen) and screen.current_slug() == DEMO_ISSUE
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "2026-12"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current_slug() == "2026-12"
        assert "Items of 2026-12" in str(screen.query_one("#items-title", Static).render())
        await pilot.press("a")
        await pilot.pause()
        await _fill_item(pilot, title="Hate Crime Awareness Week")
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = demo_ctx.store.items.get(demo_ctx.store.issues.get("2026-12").item_ids[0])
        assert added.title == "Hate Crime Awareness Week"
        assert len(demo_ctx.store.issues.get(DEMO_ISSUE).item_ids) == 6


async def test_a_long_check_finding_is_shown_whole_below_the_table(demo_ctx, app_for) -> None:
    from bulletin_tui.services.bulletins import assembly

    long_title = "Police, Crime, Sentencing and Courts Act 2022: the Serious Violence Duty and what it asks of partners"
    assembly.add_item(demo_ctx, DEMO_ISSUE, title=long_title, category="legislation")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = await _select_issue(pilot, DEMO_ISSUE)
        await pilot.press("c")
        await pilot.pause()
        table = screen.query_one("#check-table", DataTable)
        row = next(n for n, f in enumerate(screen.checks.findings) if long_title in f.message)
        table.move_cursor(row=row)
        await pilot.pause()
        shown = str(screen.query_one("#preview-text", Static).render())
        assert long_title in " ".join(shown.split()) and "has no link for readers to follow" in shown
