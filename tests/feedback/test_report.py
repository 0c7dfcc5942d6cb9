"""The yearly report quotes the questionnaires per session and for the year, in the papers' wording, with the
numbers worked out by hand below (kcst-facts S08: 55 attended, 41 questionnaires, 100 % rated delivery good or
excellent, 95 % content)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from bulletin_tui.domain.sessions import SessionKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.feedback.imports import import_feedback
from bulletin_tui.services.feedback.summary import session_feedback
from bulletin_tui.services.yearly_report.report import build_report

from .conftest import MakeSession, record_attendance


def excel_serial(day: date, hour: int, minute: int) -> str:
    """Days since 30 December 1899 plus the fraction of the day, as Excel stores a date-time."""
    return f"{(day - date(1899, 12, 30)).days + (hour * 60 + minute) / 1440:.6f}"


def write_export(path: Path, day: date, answers: list[tuple[str, str]]) -> Path:
    """A Forms-like export (UTF-8 with BOM, serial dates): one row per (delivery, content) answer pair."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "ID",
                "Completion time",
                "Email",
                "Name",
                "How would you rate the delivery?",
                "How would you rate the content?",
                "Comments",
            ]
        )
        for n, (delivery, content) in enumerate(answers, start=1):
            writer.writerow([n, excel_serial(day, 16, n % 60), "anonymous", "", delivery, content, ""])
    return path


def test_report_quotes_feedback_per_session_and_for_the_year(
    ctx: AppContext, make_session: MakeSession, tmp_path: Path
) -> None:
    make_session("asb-cpd-2022-02-28", title="ASB Tools & Powers CPD")
    make_session(
        "csis-2021-10-19",
        start="2021-10-19 09:30",
        end="12:30",
        kind=SessionKind.CSIS,
        title="Community Safety Information Session",
    )
    record_attendance(ctx, "asb-cpd-2022-02-28", attended=55, absent=3)
    # ASB CPD: 41 responses. delivery: 30 Excellent + 11 Good; content: 25 Excellent + 14 Good + 2 Average
    cpd = (
        [("Excellent", "Excellent")] * 25
        + [("Excellent", "Good")] * 5
        + [("Good", "Good")] * 9
        + [("Good", "Average")] * 2
    )
    import_feedback(ctx, "asb-cpd-2022-02-28", write_export(tmp_path / "cpd.csv", date(2022, 2, 28), cpd))
    # CSIS (attendance not recorded): 9 responses. delivery: 5 Excellent, 1 Good, 2 Average, 1 Poor;
    # content: 2 Excellent, 2 Good, 4 Average, 1 Poor
    csis = (
        [("Excellent", "Excellent")] * 2
        + [("Excellent", "Good")] * 2
        + [("Excellent", "Average")]
        + [("Good", "Average")]
        + [("Average", "Average")] * 2
        + [("Poor", "Poor")]
    )
    import_feedback(ctx, "csis-2021-10-19", write_export(tmp_path / "csis.csv", date(2021, 10, 19), csis))

    # by hand, rounded half up to whole numbers as the papers print them:
    #   CPD  delivery 41/41 = 100 %;  content (25 + 14)/41 = 39/41 = 95.1 -> 95 %;  rate 41/55 = 74.5 -> 75 %
    #   CSIS delivery (5 + 1)/9 = 66.7 -> 67 %;  content (2 + 2)/9 = 44.4 -> 44 %
    #   year 41 + 9 = 50 responses; delivery (41 + 6)/50 = 94 %;  content (39 + 4)/50 = 86 %
    cpd_summary = session_feedback(ctx, "asb-cpd-2022-02-28")
    assert (cpd_summary.responses, cpd_summary.attendees, cpd_summary.response_rate) == (41, 55, 75)
    text = build_report(ctx, "2021/22")
    section = text.split("## Feedback questionnaires", 1)[1].split("## E-bulletins sent", 1)[0]
    assert section.strip().splitlines() == [
        "- **For the year:** 50 responses across 2 sessions; 94 % rated delivery good or excellent, "
        "86 % rated content good or excellent",
        "- Tuesday 19 October 2021, Community Safety Information Session: 9 questionnaire responses; "
        "67 % rated delivery good or excellent, 44 % rated content good or excellent (attendance not recorded)",
        "- Monday 28 February 2022, ASB Tools & Powers CPD: 41 questionnaire responses; "
        "100 % rated delivery good or excellent, 95 % rated content good or excellent "
        "(response rate 75 % of 55 attendees)",
    ]


def test_a_year_without_questionnaires_says_so(ctx: AppContext, make_session: MakeSession) -> None:
    make_session()
    assert "No feedback questionnaires were imported for this year's sessions." in build_report(ctx, "2021/22")
