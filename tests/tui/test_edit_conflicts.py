"""Two hands on one record (#24): a form saving over someone else's change meanwhile is offered keep mine / take
theirs / cancel, never a silent overwrite; each choice does what it says (checked in the saved file)."""

from __future__ import annotations

from textual.widgets import Checkbox, DataTable, Input

from bulletin_tui.services.bulletins.assembly import edit_item
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.tui.screens.conflict import ConflictModal
from bulletin_tui.tui.screens.issue_form import IssueForm
from bulletin_tui.tui.screens.item_form import ItemForm
from bulletin_tui.tui.screens.subscriber_form import SubscriberForm
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE
from .other_hands import run_cli, second_context, wait_for


def stored(ctx: AppContext):  # type: ignore[no-untyped-def]
    """What is in the file now (a fresh opening, as a third process would read it)."""
    return open_context(ctx.settings, read_only=True)


async def open_editor(pilot, key: str = "e"):  # type: ignore[no-untyped-def]
    """The bulletin screen on the demo issue, then the editor of its first item (e) or of the issue (t)."""
    await pilot.press("3")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    return pilot.app.screen


async def save_into_conflict(pilot) -> ConflictModal:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, ConflictModal), "a save over someone else's change asks first"
    return modal


async def test_keep_mine_saves_over_theirs_and_a_third_change_is_caught_again(demo_ctx, app_for, clock) -> None:
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await open_editor(pilot)
            assert isinstance(form, ItemForm)
            item_id, opened_title = form.saving.key, form.query_one("#f-title", Input).value
            await pilot.press("end", *" (Ann)")
            edit_item(other, item_id, title="Bob's title", link_text="Bob's link text")

            modal = await save_into_conflict(pilot)
            view = modal.view
            assert view.by == "bob (second app)" and view.at and not view.removed
            clashes = {clash.label.split(" (")[0]: clash for clash in view.clashes}
            assert set(clashes) == {"Title", "Link text"}
            assert (clashes["Title"].opened, clashes["Title"].theirs, clashes["Title"].mine) == (
                opened_title, "Bob's title", opened_title + " (Ann)")
            assert "bob (second app) changed this item at " in modal.view.headline()
            with stored(demo_ctx) as now:
                assert now.store.items.get(item_id).title == "Bob's title", "nothing saved before the choice"

            edit_item(other, item_id, summary="A third change, made while the dialog was open.")
            await pilot.click("#mine")
            await pilot.pause()
            again = pilot.app.screen
            assert isinstance(again, ConflictModal), "keep mine is guarded against their row: a third change asks"
            assert [clash.label for clash in again.view.clashes] == ["Summary"]
            await pilot.click("#mine")
            await pilot.pause()
            assert not isinstance(app.screen, ItemForm | ConflictModal)
        with stored(demo_ctx) as now:
            item = now.store.items.get(item_id)
            assert item.title == opened_title + " (Ann)" and item.link_text != "Bob's link text"
            assert item.summary != "A third change, made while the dialog was open."
    finally:
        other.close()


async def test_take_theirs_reloads_the_form_and_cancel_goes_back_saving_nothing(demo_ctx, app_for, clock) -> None:
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await open_editor(pilot)
            assert isinstance(form, ItemForm)
            item_id = form.saving.key
            title = form.query_one("#f-title", Input)
            await pilot.press("end", *" (Ann)")
            typed = title.value
            edit_item(other, item_id, title="Bob's title", restricted=True)

            await save_into_conflict(pilot)
            await pilot.click("#cancel")
            await pilot.pause()
            assert app.screen is form and title.value == typed, "cancel: back to the form as typed"
            with stored(demo_ctx) as now:
                assert now.store.items.get(item_id).title == "Bob's title"
            await save_into_conflict(pilot)  # saving again still asks: never a silent overwrite

            await pilot.click("#theirs")
            await pilot.pause()
            assert app.screen is form
            assert title.value == "Bob's title" and form.query_one("#f-restricted", Checkbox).value is True
            with stored(demo_ctx) as now:
                assert now.store.items.get(item_id).title == "Bob's title"
            await pilot.press("end", *" and Ann's")
            await pilot.press("ctrl+s")  # their version is now the one edited: saves without asking
            await pilot.pause()
            assert not isinstance(app.screen, ItemForm | ConflictModal)
        with stored(demo_ctx) as now:
            item = now.store.items.get(item_id)
            assert item.title == "Bob's title and Ann's" and item.restricted
    finally:
        other.close()


async def test_an_item_removed_meanwhile_is_saved_as_new_or_discarded(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_editor(pilot)
        assert isinstance(form, ItemForm)
        item_id = form.saving.key
        form.query_one("#f-title", Input).value = "Ann's rewrite"
        await run_cli(demo_ctx.data_dir, "bulletin", "remove-item", DEMO_ISSUE, item_id, "--delete")

        modal = await save_into_conflict(pilot)
        assert modal.view.removed and "removed this item" in modal.view.headline()
        assert not modal.query("#mine") and not modal.query("#theirs")
        await pilot.click("#new")
        await pilot.pause()
        assert not isinstance(app.screen, ItemForm | ConflictModal)
        with stored(demo_ctx) as now:
            assert item_id not in now.store.items
            new = [item for item in now.store.items if item.title == "Ann's rewrite"]
            assert len(new) == 1 and new[0].id in now.store.issues.get(DEMO_ISSUE).item_ids

        await pilot.press("e")  # the next item: removed meanwhile too, and this time the edit is discarded
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        second_id = form.saving.key
        form.query_one("#f-title", Input).value = "Never saved"
        await run_cli(demo_ctx.data_dir, "bulletin", "remove-item", DEMO_ISSUE, second_id, "--delete")
        await save_into_conflict(pilot)
        await pilot.click("#discard")
        await pilot.pause()
        assert not isinstance(app.screen, ItemForm | ConflictModal)
    with stored(demo_ctx) as now:
        assert second_id not in now.store.items and not [i for i in now.store.items if i.title == "Never saved"]


async def test_a_new_subscriber_someone_else_added_meanwhile_is_a_conflict(demo_ctx, app_for, clock) -> None:
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, SubscriberForm)
            form.query_one("#f-email", Input).value = "new.person@example.org"
            form.query_one("#f-name", Input).value = "Ann's spelling"
            form.query_one("#l-e-bulletin", Checkbox).value = True
            add_subscriber(other, "new.person@example.org", list_name="e-bulletin", source="operator",
                           name="Bob's spelling")

            modal = await save_into_conflict(pilot)
            assert modal.view.created and "subscriber exists already: saved by bob" in modal.view.headline()
            assert [(c.label, c.theirs, c.mine) for c in modal.view.clashes] == [
                ("Name", "Bob's spelling", "Ann's spelling")]
            await pilot.click("#mine")
            await pilot.pause()
            assert not isinstance(app.screen, SubscriberForm | ConflictModal)
        with stored(demo_ctx) as now:
            assert now.store.subscribers.get("new.person@example.org").name == "Ann's spelling"
    finally:
        other.close()


async def test_a_change_to_fields_the_form_does_not_show_is_kept_without_asking(demo_ctx, app_for, clock) -> None:
    """They added an item to the issue (its item list) while the title was being edited: nothing clashes."""
    other = second_context(demo_ctx, clock)
    app = app_for(demo_ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await open_editor(pilot, "t")
            assert isinstance(form, IssueForm)
            form.query_one("#f-title", Input).value = "Ann's issue title"
            await run_cli(demo_ctx.data_dir, "bulletin", "add-item", DEMO_ISSUE, "--title", "Bob's item",
                          "--category", "news", "--summary", "Added elsewhere.", "--link", "https://www.kent.gov.uk/")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not isinstance(app.screen, IssueForm | ConflictModal))
        with stored(demo_ctx) as now:
            issue = now.store.issues.get(DEMO_ISSUE)
            titles = [now.store.items.get(item_id).title for item_id in issue.item_ids]
            assert issue.title == "Ann's issue title" and "Bob's item" in titles
    finally:
        other.close()
