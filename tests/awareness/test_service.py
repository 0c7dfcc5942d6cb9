"""The calendar services on a fixed clock: the next weeks across the year end, seeding twice, editing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.services.awareness import campaigns, schedule
from bulletin_tui.services.awareness.seed import seed_campaigns


def test_upcoming_runs_across_the_year_end(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    seed_campaigns(ctx)
    campaigns.add_campaign(ctx, "Winter Safety Fortnight", rule="28 Dec to 10 Jan")
    clock.at = datetime(2027, 1, 8, 23, 30, tzinfo=UTC)  # still 8 January in London (GMT)
    found = [(o.campaign.name, o.start, o.end) for o in schedule.upcoming(ctx, weeks=8)]
    assert found == [
        ("Winter Safety Fortnight", date(2026, 12, 28), date(2027, 1, 10)),  # started last year
        ("Dry January", date(2027, 1, 1), date(2027, 1, 31)),
    ]
    clock.at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert [o.campaign.name for o in schedule.upcoming(ctx, weeks=5)] == [
        "16 Days of Action against domestic abuse",
        "Winter Safety Fortnight",
        "Dry January",
    ]


def test_seeding_keeps_the_teams_edits(ctx) -> None:  # type: ignore[no-untyped-def]
    assert len(seed_campaigns(ctx).added) == 5
    campaigns.edit_campaign(ctx, "Dry January", note="Kent runs it with One You Kent.")
    campaigns.record_dates(ctx, "hate crime awareness week", 2026, "10-17 October")
    campaigns.remove_campaign(ctx, "16 Days")
    report = seed_campaigns(ctx)
    assert report.added == ["16 Days of Action against domestic abuse"]  # a removed one comes back
    assert campaigns.find_campaign(ctx, "dry january").note == "Kent runs it with One You Kent."
    assert [d.start for d in campaigns.find_campaign(ctx, "NHCAW").dates] == [date(2026, 10, 10)]


def test_edits_are_checked_and_leave_the_record_as_it_was(ctx) -> None:  # type: ignore[no-untyped-def]
    seed_campaigns(ctx)
    before = campaigns.find_campaign(ctx, "Dry January")
    with pytest.raises(DomainError, match="needs a rule or the dates"):
        campaigns.edit_campaign(ctx, "Dry January", rule="")
    with pytest.raises(DomainError, match="another campaign is already called"):
        campaigns.edit_campaign(ctx, "Dry January", name="alcohol awareness week")
    with pytest.raises(DomainError, match="unknown campaign field"):
        campaigns.edit_campaign(ctx, "Dry January", slug="x")
    assert campaigns.find_campaign(ctx, "Dry January") == before
