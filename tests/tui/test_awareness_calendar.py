"""The awareness calendar in the terminal app: the dashboard's next eight weeks, and the new-issue flow offering
the month's campaigns (demo data, fixed clock: Sunday 22 November 2026)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import DataTable, Input, SelectionList, Static

from bulletin_tui.services.awareness.campaigns import campaigns_table
from bulletin_tui.services.bulletins.assembly import issue_items
from bulletin_tui.tui.screens.campaign_pick import CampaignPickModal
from bulletin_tui.tui.screens.confirm import PromptModal

from .conftest import SIZE


def shown(panel: Static) -> str:
    """The panel's text as a terminal shows it, joined into one line."""
    console = Console(width=panel.content_size.width or 56, record=True, file=io.StringIO())
    console.print(panel.content)
    return " ".join(console.export_text().split())


async def test_dashboard_shows_the_next_eight_weeks_in_words(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#calendar-panel", Static)
        assert panel.border_title == "Awareness calendar: next 8 weeks"
        text = shown(panel)
        for expected in (
            "Safeguarding Adults Awareness Week · usual dates Mon 16 to Sun 22 Nov 2026 · on now (last day)",
            "16 Days of Action against domestic abuse Wed 25 Nov to Thu 10 Dec 2026 · starts in 3 days",
            "Dry January Fri 1 to Sun 31 Jan 2027 · starts in 40 days",
        ):
            assert expected in text
        assert "Hate Crime" not in text  # October: outside the window
        assert text.index("Safeguarding") < text.index("16 Days") < text.index("Dry January")


async def test_dashboard_says_how_to_fill_an_empty_calendar(ctx, app_for) -> None:
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = shown(app.screen.query_one("#calendar-panel", Static))
        assert ("No awareness campaigns in the next 8 weeks. Add the usual ones: ctrl+p, then \"awareness\" "
                "(or: bulletin-tui calendar seed)") in text
        # ... and that is what the palette then does: the papers' campaigns appear on the dashboard
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Awareness calendar: add")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert len(campaigns_table(ctx)) == 5
        assert "16 Days of Action against domestic abuse" in shown(app.screen.query_one("#calendar-panel", Static))


async def _new_issue(pilot, slug: str) -> None:
    await pilot.press("3", "n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PromptModal)
    pilot.app.screen.query_one(Input).value = slug
    await pilot.press("enter")
    await pilot.pause()


async def test_new_issue_offers_the_months_campaigns_ticked(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _new_issue(pilot, "2027-11")
        modal = app.screen
        assert isinstance(modal, CampaignPickModal)
        choices = modal.query_one(SelectionList)
        assert choices.selected == ["alcohol-awareness-week", "safeguarding-adults-awareness-week", "16-days-of-action"]
        await pilot.press("space")  # untick the highlighted first one: Alcohol Awareness Week
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CampaignPickModal)
        items = issue_items(demo_ctx, "2027-11")
        assert [(i.title, i.summary) for i in items] == [
            (
                "Safeguarding Adults Awareness Week",
                "Safeguarding Adults Awareness Week runs from Monday 15 to Sunday 21 November 2027.",
            ),
            (
                "16 Days of Action against domestic abuse",
                "16 Days of Action against domestic abuse runs from Thursday 25 November to Friday 10 December 2027.",
            ),
        ]
        assert app.screen.query_one("#item-table", DataTable).row_count == 2


async def test_a_month_where_nothing_starts_opens_no_modal_but_w_offers_what_runs_on(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _new_issue(pilot, "2026-12")
        assert not isinstance(app.screen, CampaignPickModal)
        assert "2026-12" in demo_ctx.store.issues
        await pilot.press("w")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CampaignPickModal)
        assert modal.query_one(SelectionList).selected == []  # 16 Days began in November: offered, not ticked
        await pilot.press("escape")
        await pilot.pause()
        assert issue_items(demo_ctx, "2026-12") == []
