"""Names kept with responses (only with --keep-names) are in a subject-access export and go with an erasure;
responses without names are untouched, and the report's numbers stay the same."""

from __future__ import annotations

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.feedback.imports import import_feedback, responses_for
from bulletin_tui.services.feedback.summary import session_feedback
from bulletin_tui.services.privacy.subject import erase, subject_access

from .conftest import FORMS_CSV, MakeSession


def test_kept_names_are_shown_to_the_person_and_erased_with_them(ctx: AppContext, make_session: MakeSession) -> None:
    make_session("asb-cpd-2022-02-28")
    make_session("asb-cpd-anonymous", start="2022-03-07 09:30")
    kept = import_feedback(ctx, "asb-cpd-2022-02-28", FORMS_CSV, keep_names=True)
    assert kept.names_kept and not kept.names_dropped
    import_feedback(ctx, "asb-cpd-anonymous", FORMS_CSV)
    anonymous_before = [r.model_dump() for r in responses_for(ctx, "asb-cpd-anonymous")]
    line_before = session_feedback(ctx, "asb-cpd-2022-02-28").papers_line()

    shown = subject_access(ctx, "Jo.Bloggs@MEDWAY.gov.uk")
    [held] = shown["feedback_responses"]
    assert (held["name"], held["email"], held["session_slug"]) == (
        "Jo Bloggs",
        "jo.bloggs@medway.gov.uk",
        "asb-cpd-2022-02-28",
    )
    assert held["comments"] == ["Great trainer.\nMore time on CPNs, please"]

    report = erase(ctx, "jo.bloggs@medway.gov.uk")
    assert report.feedback_responses == 1
    after = {r.source_id: r for r in responses_for(ctx, "asb-cpd-2022-02-28")}
    assert (after["2"].name, after["2"].email) == ("", "") and after["2"].ratings["delivery"].word == "Good"
    assert (after["1"].name, after["1"].email) == ("Alex First", "alex.first@kent.police.uk"), "others keep theirs"
    assert [r.model_dump() for r in responses_for(ctx, "asb-cpd-anonymous")] == anonymous_before
    assert session_feedback(ctx, "asb-cpd-2022-02-28").papers_line() == line_before
    assert b"jo.bloggs" not in ctx.store.db.path.read_bytes().lower()
