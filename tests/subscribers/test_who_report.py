"""The yearly report's "who is who" section (#27 item 5): only for the year in progress, once types exist, at the
end; reports without types, and earlier years, are unchanged byte for byte."""

from __future__ import annotations

from pathlib import Path

from bulletin_tui.domain.subscribers import LawfulBasis
from bulletin_tui.domain.times import financial_year_of
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.who import set_who
from bulletin_tui.services.yearly_report.report import build_report


def test_the_report_counts_subscribers_by_type_and_basis(ctx: AppContext, tmp_path: Path) -> None:
    this_year = financial_year_of(ctx.clock.now().date())
    last_year = f"{int(this_year[:4]) - 1}/{this_year[2:4]}"
    add_subscriber(ctx, "old@example.org")  # a record from before types: no type stored
    before, before_last = build_report(ctx, this_year), build_report(ctx, last_year)
    assert "organisation type" not in before
    csv = tmp_path / "people.csv"
    csv.write_text("Email\nann@kent.gov.uk\nbob@gmail.com\ncat@example.co.uk\n")
    import_file(ctx, csv, "e-bulletin", basis=LawfulBasis.PUBLIC_TASK)
    set_who(ctx, "bob@gmail.com", basis=LawfulBasis.CONSENT)
    after = build_report(ctx, this_year)
    assert build_report(ctx, last_year) == before_last, "an earlier year never gains the section"
    assert after.index("\n## Subscribers\n") < after.index("\n## Subscribers by organisation type"), "at the end"
    section = after.split("## Subscribers by organisation type and lawful basis\n")[1]
    assert section.splitlines()[3:] == [
        "| Organisation type | Public task | Consent | None recorded | Total | Type guessed |",
        "|---|---:|---:|---:|---:|---:|",
        "| Public body | 1 | 0 | 0 | 1 | 1 |",
        "| Company or other corporate body | 1 | 1 | 0 | 2 | 2 |",
        "| Sole trader or individual | 0 | 1 | 0 | 1 | 1 |",
        "| All | 2 | 2 | 0 | 4 | 4 |",
    ], section
