"""Subscribers screen flows: filter, add with inline validation, unsubscribe, import with invalid rows and undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from bulletin_tui.tui.screens.import_wizard import ImportWizard
from bulletin_tui.tui.screens.subscriber_form import SubscriberForm

from .conftest import SIZE


async def test_typing_in_the_filter_narrows_the_table_and_counts_all_matches(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash")
        await pilot.press(*"priya")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        expected = [row["email"] for row in demo_ctx.store.subscribers.rows() if "priya" in row["email"]]
        assert 0 < table.row_count == len(expected)
        assert all("priya" in str(table.get_row_at(i)[0]) for i in range(table.row_count))
        assert str(app.screen.query_one("#match-count", Static).render()).startswith(f"{len(expected)} of 240")


async def test_add_subscriber_validates_inline_then_saves_with_consent(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SubscriberForm)
        await pilot.press(*"not-an-address")
        await pilot.pause()
        assert "valid e-mail" in str(form.query_one("#e-email", Label).render())
        form.query_one("#f-email", Input).value = "Newcomer@Example.org"
        form.query_one("#f-name", Input).value = "New Comer"
        form.query_one("#l-csis-invitations", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SubscriberForm)
        person = demo_ctx.store.subscribers.get("newcomer@example.org")
        assert person is not None and person.name == "New Comer"
        assert person.is_subscribed("csis-invitations") and not person.is_subscribed("e-bulletin")
        assert person.consent[-1].operator == "test-operator" and person.consent[-1].source == "operator"
        assert str(app.screen.query_one("#match-count", Static).render()).startswith("241 of 241")


async def test_unsubscribe_asks_first_then_records_the_withdrawal(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        email = app.screen.selected_email()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("escape")
        assert demo_ctx.store.subscribers.get(email.casefold()).is_subscribed("e-bulletin")
        await pilot.press("u")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        person = demo_ctx.store.subscribers.get(email.casefold())
        assert not any(person.is_subscribed(slug) for slug in person.lists)
        assert person.consent[-1].action.value == "withdrawn"


async def test_import_wizard_previews_invalid_rows_commits_and_undoes(demo_ctx, app_for, tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("Email,Name\nfresh.one@example.org,Fresh One\nnot an address,Broken\n"
                        "fresh.two@example.org,Fresh Two\nfresh.one@example.org,Again\n", encoding="utf-8")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, ImportWizard)
        wizard.query_one("#path", Input).value = str(csv_file)
        await pilot.click("#preview")
        await pilot.pause()
        summary = str(wizard.query_one("#summary", Static).render())
        assert "2  new subscribers" in summary and "1  invalid rows" in summary and "1  duplicate rows" in summary
        assert wizard.query_one("#invalid-rows", DataTable).row_count == 2
        assert "fresh.one@example.org" not in demo_ctx.store.subscribers  # preview writes nothing
        await pilot.click("#commit")
        await pilot.pause()
        assert demo_ctx.store.subscribers.get("fresh.one@example.org").is_subscribed("e-bulletin")
        assert demo_ctx.store.subscribers.get("fresh.two@example.org") is not None
        await pilot.click("#undo")
        await pilot.pause()
        assert "fresh.one@example.org" not in demo_ctx.store.subscribers
        assert "Undone: 2 removed" in str(wizard.query_one("#summary", Static).render())
        await pilot.click("#close")
        await pilot.pause()
        assert "of 240" in str(app.screen.query_one("#match-count", Static).render())


async def test_suppress_after_confirmation_blocks_the_address(demo_ctx, app_for) -> None:
    from bulletin_tui.services.subscribers.suppression import is_suppressed

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        email = app.screen.selected_email()
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert is_suppressed(demo_ctx, email)
        table = app.screen.query_one(DataTable)
        row = next(table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[0]) == email)
        assert str(row[3]).startswith("SUPPRESSED")


async def test_erase_after_confirmation_removes_the_person(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        email = app.screen.selected_email()
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert email.casefold() not in demo_ctx.store.subscribers
        assert str(app.screen.query_one("#match-count", Static).render()).startswith("239 of 239")


async def test_names_with_square_brackets_are_shown_literally(demo_ctx, app_for) -> None:
    from bulletin_tui.services.subscribers.people import add_subscriber

    add_subscriber(demo_ctx, "brackets@example.org", name="[bold]Robin[/bold] [link=x]", list_name="e-bulletin")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"brackets")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[1]) == "[bold]Robin[/bold] [link=x]"


async def test_export_writes_every_subscriber_to_the_chosen_csv(demo_ctx, app_for, tmp_path: Path) -> None:
    target = tmp_path / "everyone.csv"
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + len(demo_ctx.store.subscribers)


async def test_edit_changes_details_and_list_memberships_with_consent_records(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        email = app.screen.selected_email()
        before = demo_ctx.store.subscribers.get(email.casefold())
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SubscriberForm) and form.query_one("#f-email", Input).disabled
        form.query_one("#f-organisation", Input).value = "Swale Borough Council"
        form.query_one("#f-topics", Input).value = "asb, Fraud and scams"
        form.query_one("#f-role", Input).value = "bad\u0007role"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SubscriberForm), "a control character in a field keeps the form open"
        form.query_one("#f-role", Input).value = "Community Safety Officer"
        form.query_one("#l-e-bulletin", Checkbox).value = False
        form.query_one("#l-dhr-webinars", Checkbox).value = not before.is_subscribed("dhr-webinars")
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = demo_ctx.store.subscribers.get(email.casefold())
    assert (after.organisation, after.role, after.name) == ("Swale Borough Council", "Community Safety Officer",
                                                           before.name)
    assert after.topics == ["Preventing Neighbourhood Crime & ASB", "Fraud and scams"]
    assert not after.is_subscribed("e-bulletin")
    assert after.is_subscribed("dhr-webinars") != before.is_subscribed("dhr-webinars")
    assert len(after.consent) == len(before.consent) + 2


async def test_import_wizard_shows_how_the_file_was_read_and_labels_updates(demo_ctx, app_for, tmp_path: Path) -> None:
    from textual.widgets import DirectoryTree

    from bulletin_tui.services.subscribers.people import audience

    on_list = audience(demo_ctx, "e-bulletin")[0]
    known_elsewhere = next(p for p in demo_ctx.store.subscribers if not p.is_subscribed("csis-invitations")
                           and any(m.status.value == "subscribed" for m in p.lists.values()))
    csv_file = tmp_path / "partners.csv"
    csv_file.write_bytes("E-mail;Name;Organisation;Shoe size\nnew.person@example.org;Zoë New;Kent Police;9\n"
                         f"{known_elsewhere.email};;;\n".encode("cp1252"))
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i")
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, ImportWizard)
        tree = wizard.query_one(DirectoryTree)
        tree.path = tmp_path
        await pilot.pause(0.5)
        node = next(n for n in tree.root.children if n.data and n.data.path.name == "partners.csv")
        tree.select_node(node)
        await pilot.pause(0.5)
        assert wizard.query_one("#path", Input).value == str(csv_file)
        wizard.query_one("#list", Select).value = "csis-invitations"
        await pilot.click("#preview")
        await pilot.pause()
        summary = str(wizard.query_one("#summary", Static).render())
        assert "Read as cp1252, semicolon-separated; columns ignored: Shoe size" in summary
        assert "1  already known, added to this list" in summary and "details updated" not in summary
        first = wizard.query_one("#first-rows", DataTable)
        assert [str(cell) for cell in first.get_row_at(0)] == ["2", "new.person@example.org", "Zoë New", "Kent Police"]
        csv_file.write_text(f"email,name\n{on_list.email},A New Name For Them\n", encoding="utf-8")
        wizard.query_one("#list", Select).value = "e-bulletin"
        await pilot.pause()
        wizard.show_preview()
        await pilot.pause()
        summary = str(wizard.query_one("#summary", Static).render())
        assert "1  already on this list, details updated" in summary and "added to this list" not in summary


async def test_path_input_completes_from_the_disk(tmp_path: Path) -> None:
    from bulletin_tui.tui.widgets.file_picking import PathSuggester

    (tmp_path / "partners-2026.csv").write_text("email\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("", encoding="utf-8")
    (tmp_path / "exports").mkdir()
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{tmp_path}/par") == f"{tmp_path}/partners-2026.csv"
    assert await suggester.get_suggestion(f"{tmp_path}/ex") == f"{tmp_path}/exports/"
    assert await suggester.get_suggestion(f"{tmp_path}/no") is None  # only folders and table files
