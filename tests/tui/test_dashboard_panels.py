"""The dashboard (#25 item 10): the Joiners chart is a column per month, campaigns show readable names, "Next
bulletin" is picked by one rule (never flips), and the pre-send checks are not re-run for saves that change nothing
they read."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

from rich.console import Console
from textual.widgets import Static

from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.schedule.next_issue import next_issue
from bulletin_tui.services.schedule.planning import schedule_send
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.services.subscribers.joiners import monthly_joiners
from bulletin_tui.tui.screens.dashboard import DashboardScreen
from bulletin_tui.tui.send_bridge import recent_campaigns
from bulletin_tui.tui.widgets.bars import column_chart
from tests.conftest import DEMO_ISSUE, DEMO_SESSION

from .conftest import SIZE


def _panel(app, panel: str) -> str:
    """A panel's text as drawn at its width."""
    widget = app.screen.query_one(panel, Static)
    console = Console(width=widget.content_size.width, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def test_a_column_chart_scales_to_the_largest_and_shows_every_value_above_zero() -> None:
    rows = [row.plain for row in column_chart([0, 1, 8, 16], ["J", "F", "M", "A"], height=2)]
    assert rows == ["      █", "  ▁ █ █", "J F M A"]


async def test_the_joiners_chart_has_a_column_per_month(demo_ctx, app_for) -> None:
    joiners = monthly_joiners(demo_ctx)
    assert len(joiners) == 12 and sum(1 for _month, count in joiners if count) >= 10  # the demo's year of joiners
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = _panel(app, "#lists-panel").splitlines()
        caption = next(n for n, line in enumerate(lines) if line.startswith("Joiners by month: "))
        assert f": {sum(count for _m, count in joiners):,} since Dec (most: " in lines[caption]
        columns, labels = lines[caption + 1:caption + 5], lines[caption + 5]
        assert labels.split() == [month[0] for month in ("Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                         "Aug", "Sep", "Oct", "Nov")]
        heights = [sum(line[2 * n] != " " for line in columns) for n in range(12)]  # rows each month's column fills
        assert min(heights) >= 1 and max(heights) == 4 and len(set(heights)) > 1  # a chart, not one block


async def test_recent_campaigns_show_the_issue_and_list_names(demo_ctx, app_for) -> None:
    demo_ctx.settings.limits.rate_per_minute = 0
    await send_bulletin(demo_ctx, "2021-10", ["e-bulletin", "partnership-restricted"], force=True,
                        include_already_sent=True)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = _panel(app, "#campaigns-panel")
        assert recent_campaigns(demo_ctx)[0].title == (
            "Community Safety e-Bulletin, 29 October 2021 → E-bulletin + Partnership (restricted)")
        assert "Community Safety e-Bulletin, 29 October 2021 → E-bu" in shown  # as wide as the panel allows
        assert "bulletin-2021-10-" not in shown and "\n  240 sent " in shown


def test_next_bulletin_is_picked_by_one_rule(demo_ctx, clock) -> None:
    assert next_issue(demo_ctx).slug == DEMO_ISSUE  # this month's draft
    later = f"{clock.now() + timedelta(days=40):%Y-%m}"
    create_issue(demo_ctx, later, title="Next month")
    create_issue(demo_ctx, "autumn-special", title="Autumn special")  # no month in its slug: made this month
    for _ in range(3):  # the same answer every time
        assert next_issue(demo_ctx).slug == DEMO_ISSUE
    clock.advance(days=40)  # this month's draft is now a month old: the next month's is next
    assert next_issue(demo_ctx).slug == later
    demo_ctx.settings.limits.rate_per_minute = 0
    schedule_send(demo_ctx, DEMO_ISSUE, "dhr-webinars", clock.now() + timedelta(days=2), force=True)
    assert next_issue(demo_ctx).slug == DEMO_ISSUE  # a scheduled send comes first


async def test_the_checks_run_again_only_when_what_they_read_changed(demo_ctx, app_for, monkeypatch) -> None:
    from bulletin_tui.services.bulletins.assembly import edit_item
    from bulletin_tui.tui.screens import dashboard

    runs: list[str] = []
    real = dashboard.run_checks

    def counted(ctx, slug, *args):
        runs.append(slug)
        return real(ctx, slug, *args)

    monkeypatch.setattr(dashboard, "run_checks", counted)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        assert runs == [DEMO_ISSUE] and isinstance(app.screen, DashboardScreen)
        register(demo_ctx, DEMO_SESSION, "someone@example.org")  # saved by "another process": nothing checked
        app.data_version += 1
        app.show_latest()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert runs == [DEMO_ISSUE] and "Pre-send checks:" in _panel(app, "#next-issue")
        edit_item(demo_ctx, "demo-b08", link="https://www.ons.gov.uk/crime", link_text="Crime figures at the ONS")
        app.data_version += 1
        app.show_latest()
        await app.workers.wait_for_complete()
        await asyncio.sleep(0)
        assert runs == [DEMO_ISSUE, DEMO_ISSUE]
