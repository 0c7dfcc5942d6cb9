"""The torture corpus: every file imports with the expected people, fields, flags and row reasons."""

from __future__ import annotations

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.imports import preview_import

from .conftest import DATA


def imported(ctx: AppContext, name: str) -> dict[str, dict[str, object]]:
    preview, _ = import_file(ctx, DATA / name)
    return {p.key: p.model_dump() for p in ctx.store.subscribers}


def test_utf8_bom_outlook_headers_join_first_and_last_names(ctx: AppContext) -> None:
    people = imported(ctx, "utf8_bom_outlook.csv")
    assert people["priya.example@example.org"]["name"] == "Priya Example"
    assert people["priya.example@example.org"]["organisation"] == "Swale Borough Council"
    assert people["priya.example@example.org"]["role"] == "Community Safety Officer"
    assert people["siobhan@example.net"]["name"] == "Siobhan Ó Demo"
    assert people["tomasz.sample@example.com"]["email"] == "Tomasz.Sample@Example.COM"  # stored as given


def test_cp1252_semicolons_keep_pound_and_accents(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "cp1252_semicolon.csv")
    assert (preview.encoding, preview.delimiter, preview.ignored_columns) == ("cp1252", "semicolon", ["Notes"])
    by_key = {p.key: p for p in preview.new}
    assert by_key["zoe.dupre@example.org"].name == "Zoë Dupré"
    assert by_key["zoe.dupre@example.org"].organisation == "Café £5 Trust"


def test_quoted_newlines_become_spaces_and_extra_columns_are_ignored(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "quoted_newlines.csv")
    by_key = {p.key: p for p in preview.new}
    assert by_key["jo@example.org"].name == "Jo Bloggs"
    assert by_key["jo@example.org"].organisation == 'Swale "Community" Partnership'
    assert preview.ignored_columns == ["Postal address"] and len(preview.new) == 2


def test_blank_rows_are_skipped_and_rows_keep_spreadsheet_numbers(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    preview = preview_import(ctx, DATA / "blank_rows.csv")
    assert sorted(p.key for p in preview.new) == ["first@example.org", "second@example.org"]
    assert preview.counts()["invalid"] == 0
    broken = write_csv("\nEmail\n\nok@example.org\nbroken\n")
    notes = preview_import(ctx, broken).invalid
    assert [n.row for n in notes] == [5]  # header on line 2, as a spreadsheet shows it


def test_header_synonyms_in_any_case_with_pipe_delimiter(ctx: AppContext) -> None:
    people = imported(ctx, "header_synonyms.csv")
    assert people["ola@example.org"]["organisation"] == "Thanet District Council"
    assert people["ola@example.org"]["name"] == "Ola Madeup"
    assert people["ola@example.org"]["area"] == "Thanet"
    assert people["ola@example.org"]["topics"] == ["Domestic Abuse", "Road Safety"]


def test_internationalised_addresses_are_accepted_and_flagged(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "internationalised.csv")
    assert len(preview.new) == 4 and preview.smtputf8 == [2, 3]
    flagged = {p.email for p in preview.new if p.smtputf8}
    assert flagged == {"josé@example.org", "用户@例子.广告"}


def test_invalid_rows_name_row_and_reason_and_good_rows_still_import(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "invalid_rows.csv")
    reasons = {note.row: note.reason for note in preview.invalid}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "@-sign" in reasons[3] and reasons[4] == "no e-mail address"
    assert reasons[8].startswith("name:")
    assert sorted(p.key for p in preview.new) == ["also.good@example.org", "good@example.org"]


def test_duplicates_within_the_file_point_at_the_first_row(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "duplicates.csv")
    assert [(n.row, n.reason) for n in preview.duplicates] == [
        (3, "same address as row 2"), (5, "same address as row 2")]
    assert {p.name for p in preview.new} == {"First Copy", "Other"}


def test_utf16_tab_separated_excel_unicode_text(ctx: AppContext) -> None:
    preview = preview_import(ctx, DATA / "utf16_tab.csv")
    assert (preview.encoding, preview.delimiter) == ("utf-16", "tab")
    assert {p.organisation for p in preview.new} == {"Gravesham Borough Council", "Folkestone and Hythe"}


def test_display_name_and_address_cells_are_split(ctx: AppContext) -> None:
    people = imported(ctx, "outlook_named.csv")
    assert people["morgan@example.org"]["name"] == "Morgan Example"
    assert people["robin@example.org"]["name"] == "Robin Demo"


@pytest.mark.parametrize(("name", "message"), [
    ("no_email_column.csv", "no_email_column.csv: row 1 has no e-mail column"),
    ("empty.csv", "empty.csv: the file is empty"),
])
def test_unusable_files_are_refused_naming_the_file(ctx: AppContext, name: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        preview_import(ctx, DATA / name)
    assert len(ctx.store.subscribers) == 0


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused(ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "binary.csv"
    path.write_bytes(b"Email\nx\x81y@example.org\n")
    with pytest.raises(DomainError, match="binary.csv: line 2 is neither"):
        preview_import(ctx, path)


@pytest.mark.parametrize(("name", "count"), [("example-e-bulletin.csv", 3), ("example-outlook-export.csv", 2)])
def test_the_shipped_example_lists_import_cleanly(ctx: AppContext, name: str, count: int) -> None:
    preview = preview_import(ctx, DATA.parents[1] / "subscribers" / name)
    assert preview.counts()["new"] == count and not preview.invalid and not preview.duplicates
