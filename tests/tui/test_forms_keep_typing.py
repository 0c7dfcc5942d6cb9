"""#25 item 2: forms keep what is typed: the first field has the focus, a finding opens on its field, typing adds
to a value instead of replacing it, and escape on a changed form asks before throwing it away."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea

from bulletin_tui.tui.screens.bulletin import BulletinScreen
from bulletin_tui.tui.screens.confirm import ConfirmModal
from bulletin_tui.tui.screens.issue_form import IssueForm
from bulletin_tui.tui.screens.item_form import ItemForm
from bulletin_tui.tui.screens.register_form import RegisterForm
from bulletin_tui.tui.screens.session_form import SessionForm
from bulletin_tui.tui.screens.sessions import SessionsScreen
from bulletin_tui.tui.screens.subscriber_form import SubscriberForm
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE

# (area key, key that opens the form, the form, the id of the field typing should land in)
NEW_FORMS = [
    ("4", "n", SessionForm, "f-slug"),
    ("2", "a", SubscriberForm, "f-email"),
    ("3", "a", ItemForm, "f-title"),
    ("4", "r", RegisterForm, "f-email"),
]


@pytest.mark.parametrize(("area", "key", "form", "first"), NEW_FORMS, ids=[f[2].__name__ for f in NEW_FORMS])
async def test_typing_into_a_new_form_lands_in_its_first_field(demo_ctx, app_for, area, key, form, first) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(area)
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, form)
        await pilot.press(*"abc")
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == first
        assert app.screen.query_one(f"#{first}", Input).value == "abc"


async def test_editing_adds_to_a_field_instead_of_replacing_it(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        screen.query_one("#item-table", DataTable).focus()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        title = form.query_one("#f-title", Input)
        before = title.value
        assert form.focused is title and before
        await pilot.press(*" (updated)")
        assert title.value == before + " (updated)"


async def test_escape_on_an_unchanged_form_closes_it_at_once(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        for area, key, form, _first in NEW_FORMS:
            await pilot.press(area)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, form)
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen.is_modal, form.__name__


async def test_escape_on_a_changed_form_asks_and_keeps_it_unless_confirmed(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SessionForm)
        await pilot.press(*"typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Throw away" in str(app.screen.question)
        await pilot.press("escape")  # the question's own escape keeps the form
        await pilot.pause()
        assert app.screen is form and form.query_one("#f-slug", Input).value == "typed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        assert "typed" not in demo_ctx.store.sessions


async def test_a_changed_text_area_counts_as_a_change(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        form.query_one("#f-intro", TextArea).insert("A new first line.\n", (0, 0))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)


async def test_enter_on_a_no_link_finding_opens_the_item_in_its_link_field(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BulletinScreen)
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        row, finding = next((n, f) for n, f in enumerate(screen.checks.findings) if "has no link" in f.message)
        assert finding.field == "link"
        screen.query_one("#check-table", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm) and form.record.id == finding.item_id
        title = form.query_one("#f-title", Input).value
        assert form.focused is form.query_one("#f-link", Input)
        await pilot.press(*"https://www.kent.gov.uk/")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = demo_ctx.store.items.get(finding.item_id)
        assert saved.link == "https://www.kent.gov.uk/" and saved.title == title


async def test_the_findings_are_checked_again_after_the_item_is_saved(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        row, finding = next((n, f) for n, f in enumerate(screen.checks.findings) if "has no link" in f.message)
        before = len(screen.checks.findings)
        screen.query_one("#check-table", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"https://www.kent.gov.uk/", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert len(screen.checks.findings) == before - 1
        assert finding.message not in [f.message for f in screen.checks.findings]


async def test_a_date_typed_wrongly_is_answered_with_the_format(demo_ctx, app_for) -> None:
    from textual.widgets import Label

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-start", Input).value = "next Thursday"
        await pilot.pause()
        assert "YYYY-MM-DD" in str(form.query_one("#e-start", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.press("3", "a")
        await pilot.pause()
        item_form = app.screen
        assert isinstance(item_form, ItemForm)
        item_form.query_one("#f-closing_date", Input).value = "31st of March"
        await pilot.pause()
        assert "DD/MM/YYYY" in str(item_form.query_one("#e-closing_date", Label).render())
