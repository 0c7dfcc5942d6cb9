"""SVG snapshots of each main screen at 120x36 with demo data and the fixed clock (pytest-textual-snapshot).

The data dir in the header is replaced by a fixed label (tmp paths differ per run); cursors do not blink;
workers (the dashboard's checks, the preview render) finish before the picture is taken.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from bulletin_tui.tui.app import make_app
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE

FIXED_SUBTITLE = "~/kcst-bulletin-data"


def settle(*then):
    """A run_before hook: stable header, no blinking, workers done, then the given steps."""

    async def run_before(pilot) -> None:
        app = pilot.app
        for step in then:
            await step(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.sub_title = FIXED_SUBTITLE
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()

    return run_before


def keys(*names: str):
    async def press(pilot) -> None:
        await pilot.press(*names)
        await pilot.pause()

    return press


def test_dashboard(demo_ctx, snap_compare) -> None:
    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE, run_before=settle())


def test_subscribers_filtered(demo_ctx, snap_compare) -> None:
    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("2", "slash", *"thanet")))


def test_bulletin_with_checks(demo_ctx, snap_compare) -> None:
    async def pick_current_issue(pilot) -> None:
        screen = pilot.app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("3"), pick_current_issue, keys("c")))


def test_item_editor(demo_ctx, snap_compare) -> None:
    async def open_first_item(pilot) -> None:
        screen = pilot.app.screen
        screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(DEMO_ISSUE))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("3"), open_first_item))


def test_sessions(demo_ctx, snap_compare) -> None:
    from bulletin_tui.services.sessions.catalogue import list_sessions
    from bulletin_tui.services.sessions.registrations import register

    upcoming = [s for s in list_sessions(demo_ctx) if s.capacity][0]
    for n in range(5):
        register(demo_ctx, upcoming.slug, f"attendee{n}@example.org", name=f"Attendee {n}")

    async def pick(pilot) -> None:
        screen = pilot.app.screen
        screen.query_one("#session-table", DataTable).move_cursor(
            row=[s.slug for s in screen.sessions].index(upcoming.slug))
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("4"), pick))


def test_send_screen(demo_ctx, snap_compare) -> None:
    async def choose(pilot) -> None:
        screen = pilot.app.screen
        screen.query_one("#issue", Select).value = DEMO_ISSUE
        screen.query_one("#list", Select).value = "dhr-webinars"
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("5"), choose))


def test_help(demo_ctx, snap_compare) -> None:
    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE,
                        run_before=settle(keys("2", "question_mark")))
