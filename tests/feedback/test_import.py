"""Importing questionnaire exports: the Forms CSV (UTF-8 BOM, Excel serial dates, multi-line comments) twice, the
same data as XLSX, other encodings and scales, bad answers refused whole, the mapping saved per session kind."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import SessionKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.feedback.imports import import_feedback, responses, responses_for
from bulletin_tui.services.feedback.mapping import saved_mapping
from bulletin_tui.services.feedback.summary import session_feedback

from .conftest import FORMS_CSV, HEADER, MakeSession

SLUG = "asb-cpd-2022-02-28"


def forms_rows() -> list[list[str]]:
    with FORMS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


def database_bytes(ctx: AppContext) -> bytes:
    return ctx.store.db.path.read_bytes()


def test_forms_export_imported_twice_adds_each_response_once(ctx: AppContext, make_session: MakeSession) -> None:
    make_session(SLUG)
    assert FORMS_CSV.read_bytes().startswith(b"\xef\xbb\xbf") and b"44620.5402" in FORMS_CSV.read_bytes()
    first = import_feedback(ctx, SLUG, FORMS_CSV)
    assert (first.rows, first.added, first.already_imported) == (8, 8, 0)
    assert first.origin == "guessed from the headers" and first.names_dropped and not first.names_kept
    assert first.mapping.columns == {
        "ID": "id",
        "Start time": "ignore",
        "Completion time": "submitted",
        "Email": "email",
        "Name": "name",
        "How would you rate the delivery of the training?": "rating:delivery",
        "How would you rate the content?": "rating:content",
        "How would you rate the venue?": "rating:venue",
        "Any other comments or suggestions?": "comments",
    }
    second = import_feedback(ctx, SLUG, FORMS_CSV)
    assert (second.added, second.already_imported) == (0, 8)
    stored = responses_for(ctx, SLUG)
    assert len(stored) == len(responses(ctx)) == 8
    # Excel serial 44620.5402 = 44620 days after 30/12/1899 (28 Feb 2022) + 0.5402 x 86,400 s = 46,673 s = 12:57:53
    # (London is on GMT in February, so UTC is the same wall clock)
    assert stored[0].submitted == datetime(2022, 2, 28, 12, 57, 53, tzinfo=UTC)
    assert stored[1].comments == ["Great trainer.\nMore time on CPNs, please"]
    assert stored[0].comments == ["Very useful, thank you"]
    assert {(r.name, r.email) for r in stored} == {("", "")}, "the form asked for names; staff did not keep them"
    saved = database_bytes(ctx)
    assert b"Alex First" not in saved and b"alex.first" not in saved and b"Parking, parking, parking" in saved


def test_same_data_as_xlsx_with_date_cells_adds_nothing_and_reads_the_same(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    make_session(SLUG)
    make_session("asb-cpd-xlsx", start="2022-03-07 09:30")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in forms_rows():
        number = int(row[0])
        completed = datetime(2022, 2, 28, 12, 57, 53) if number == 1 else float(row[2])  # a date cell, then serials
        sheet.append([number, float(row[1]), completed, *row[3:]])
    path = tmp_path / "ASB CPD feedback(1-8).xlsx"
    book.save(path)
    import_feedback(ctx, SLUG, FORMS_CSV)
    assert import_feedback(ctx, SLUG, path).already_imported == 8, "the form's ID column keeps rows apart"
    from_xlsx = import_feedback(ctx, "asb-cpd-xlsx", path)
    assert from_xlsx.added == 8
    csv_side, xlsx_side = session_feedback(ctx, SLUG), session_feedback(ctx, "asb-cpd-xlsx")
    assert xlsx_side.papers_line() == csv_side.papers_line()
    assert [r.submitted for r in responses_for(ctx, "asb-cpd-xlsx")] == [r.submitted for r in responses_for(ctx, SLUG)]


def test_cp1252_semicolon_export_with_day_first_dates_and_no_id_column(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session("csis-2024-06-20", start="2024-06-20 12:30", end="13:30", kind=SessionKind.CSIS)
    text = (
        "Horodatage;Submitted;Overall, how would you rate the session?;Was the speaker clear?;Comments\r\n"
        "x;20/06/2024 13:35;Very good;Strongly agree;Café-style room – great\r\n"
        "x;20/06/2024 13:41;Fair;Agree;\r\n"
        "x;20/06/2024 13:41;Fair;Agree;\r\n"
    )
    path = tmp_path / "excel-saved.csv"
    path.write_bytes(text.encode("cp1252"))
    result = import_feedback(ctx, "csis-2024-06-20", path)
    assert (result.added, result.duplicates_in_file) == (2, 1), "no ID column: identical rows are one response"
    first = responses_for(ctx, "csis-2024-06-20")[0]
    assert first.submitted == datetime(2024, 6, 20, 12, 35, tzinfo=UTC)  # 13:35 BST
    assert first.comments == ["Café-style room – great"]
    assert {k: (v.points, v.word) for k, v in first.ratings.items()} == {
        "overall": (4, "Very good"),
        "delivery": (5, "Strongly agree"),
    }  # "speaker" -> delivery
    assert import_feedback(ctx, "csis-2024-06-20", path).added == 0, "the row hash is stable"


def test_numbers_on_a_ten_point_scale_and_star_ratings(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session()
    path = tmp_path / "stars.csv"
    path.write_text(
        "ID,Completion time,Rate the trainer,How likely are you to recommend it? (0-10)\n"
        "1,2022-02-28T14:05:00,5,10\n2,2022-02-28T14:06:00,3,8\n3,2022-02-28T14:07:00,★★★★,7\n",
        encoding="utf-8",
    )
    result = import_feedback(ctx, SLUG, path)
    assert result.mapping.rated == ["delivery", "recommend"]
    summary = {q.label: q for q in session_feedback(ctx, SLUG).questions}
    # stars 5, 3, 4 on 1-5: good or excellent are 4 and 5 -> 2 of 3 = 66.7 -> 67 %
    assert (summary["delivery"].good, summary["delivery"].good_percent) == (2, 67)
    # 10, 8, 7: a number above 5 makes the scale 1-10; good from 3/4 of the way up: 1 + 0.75 x 9 = 7.75 -> 8, 9, 10
    assert (summary["recommend"].good, summary["recommend"].good_percent) == (2, 67)
    assert summary["recommend"].distribution == {"10 of 10": 1, "8 of 10": 1, "7 of 10": 1}


def test_an_unknown_rating_word_names_row_and_column_and_stores_nothing(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session()
    rows = forms_rows()
    rows[5][6] = "Brilliant"  # the 6th data row is spreadsheet row 7 (a multi-line comment is still one row)
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    path = tmp_path / "bad.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    before = database_bytes(ctx)
    with pytest.raises(DomainError) as caught:
        import_feedback(ctx, SLUG, path, save=True)
    message = str(caught.value)
    assert message == (
        "bad.csv: row 7, column G 'How would you rate the content?': 'Brilliant' is not a rating "
        "this tool knows (words such as Excellent, Good, Poor or Strongly agree, or a number on a "
        "1-5 or 1-10 scale); nothing was imported"
    )
    assert "\n" not in message and responses_for(ctx, SLUG) == [] and saved_mapping(ctx, "training") is None
    assert database_bytes(ctx) == before


def test_mapping_saved_for_a_kind_is_used_by_the_next_session_of_that_kind(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session("asb-cpd-canterbury")
    make_session("asb-cpd-dover", start="2022-03-07 09:30")
    header = "Response,Done at,Q1,Q2,Q3\n"
    first = tmp_path / "canterbury.csv"
    first.write_text(header + "1,28/02/2022 13:05,Excellent,Good,Keep it up\n", encoding="utf-8")
    overrides = ["Response=id", "Q1=delivery", "Q2=content", "Q3=comments", "Done at=submitted"]
    result = import_feedback(ctx, "asb-cpd-canterbury", first, overrides=overrides, save=True)
    assert result.mapping_saved and result.origin == "guessed from the headers with --map"
    second = tmp_path / "dover.csv"
    second.write_text(
        header + "1,07/03/2022 15:10,Good,Poor,Too long\n2,07/03/2022 15:12,Excellent,Good,\n", encoding="utf-8"
    )
    reused = import_feedback(ctx, "asb-cpd-dover", second)
    assert reused.origin == "saved for training" and reused.added == 2
    assert reused.mapping.columns == saved_mapping(ctx, "training").columns  # type: ignore[union-attr]
    dover = responses_for(ctx, "asb-cpd-dover")
    assert [(r.source_id, r.ratings["delivery"].word, r.comments) for r in dover] == [
        ("1", "Good", ["Too long"]),
        ("2", "Excellent", []),
    ]
    assert dover[0].submitted == datetime(2022, 3, 7, 15, 10, tzinfo=UTC)
    assert import_feedback(ctx, "asb-cpd-dover", second, dry_run=True).already_imported == 2


def test_a_saved_mapping_naming_a_missing_column_says_how_to_fix_it(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session()
    import_feedback(ctx, SLUG, FORMS_CSV, save=True)
    other = tmp_path / "other.csv"
    other.write_text("ID,Rate the trainer\n1,Good\n", encoding="utf-8")
    with pytest.raises(DomainError, match="names column 'Start time', which this file lacks; map it with --map"):
        import_feedback(ctx, SLUG, other)


def test_dry_run_changes_nothing(ctx: AppContext, make_session: MakeSession) -> None:
    make_session()
    before = database_bytes(ctx)
    result = import_feedback(ctx, SLUG, FORMS_CSV, dry_run=True, save=True)
    assert result.added == 8 and not result.mapping_saved and database_bytes(ctx) == before


def test_bad_map_and_missing_ratings_are_one_line_each(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session()
    with pytest.raises(DomainError, match="the file has no column 'Nope'"):
        import_feedback(ctx, SLUG, FORMS_CSV, overrides=["Nope=delivery"])
    with pytest.raises(DomainError, match="only one column can be the id"):
        import_feedback(ctx, SLUG, FORMS_CSV, overrides=["Name=id"])
    plain = tmp_path / "plain.csv"
    plain.write_text("ID,Comments\n1,Fine\n", encoding="utf-8")
    with pytest.raises(DomainError, match="no column was taken as a rated question"):
        import_feedback(ctx, SLUG, plain)


def test_unreadable_workbooks_and_repeated_headers(ctx: AppContext, make_session: MakeSession, tmp_path: Path) -> None:
    make_session()
    broken = tmp_path / "feedback.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(DomainError, match=r"^feedback\.xlsx: cannot be read as an Excel workbook"):
        import_feedback(ctx, SLUG, broken)
    old = tmp_path / "feedback.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DomainError, match=r"^feedback\.xls: a \.xls workbook cannot be read; save it as \.xlsx"):
        import_feedback(ctx, SLUG, old)
    twice = tmp_path / "twice.csv"
    twice.write_text("ID,Rate the trainer,Rate the trainer\n1,Excellent,Poor\n", encoding="utf-8")
    result = import_feedback(ctx, SLUG, twice)
    assert result.mapping.columns == {
        "ID": "id",
        "Rate the trainer": "rating:delivery",
        "Rate the trainer (2)": "rating:delivery 2",
    }
    [response] = responses_for(ctx, SLUG)
    assert {k: v.points for k, v in response.ratings.items()} == {"delivery": 5, "delivery 2": 2}


def test_a_workbook_that_misstates_its_size_is_read_whole(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    """Read-only openpyxl trusts the sheet's <dimension>; some writers leave it at A1."""
    import re
    import zipfile

    from openpyxl import Workbook

    make_session()
    book = Workbook()
    book.active.append(HEADER)
    for row in forms_rows():
        book.active.append([int(row[0]), float(row[1]), float(row[2]), *row[3:]])
    honest = tmp_path / "honest.xlsx"
    book.save(honest)
    misstated = tmp_path / "misstated.xlsx"
    with zipfile.ZipFile(honest) as source, zipfile.ZipFile(misstated, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1"/>', data)
                assert count == 1
            target.writestr(item, data)
    assert import_feedback(ctx, SLUG, misstated).added == 8
    assert session_feedback(ctx, SLUG).papers_line().startswith("8 questionnaire responses; 100 % rated delivery")
