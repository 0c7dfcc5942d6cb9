"""SVG snapshot of the sessions screen with the demo's training on four dates selected: each date's places."""

from __future__ import annotations

from textual.widgets import DataTable

from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.tui.app import make_app

from .conftest import SIZE
from .test_snapshots import keys, settle


def test_sessions_with_several_dates(demo_ctx, snap_compare) -> None:  # type: ignore[no-untyped-def]
    slug = next(s.slug for s in demo_ctx.store.sessions if s.slug.startswith("demo-asb-cpd-"))
    for n in range(17):
        register(demo_ctx, slug, f"first{n}@example.org", name=f"First {n}", occurrence="1")
    for n in range(4):
        register(demo_ctx, slug, f"second{n}@example.org", name=f"Second {n}", occurrence="2")

    async def pick(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = pilot.app.screen
        screen.query_one("#session-table", DataTable).move_cursor(row=[s.slug for s in screen.sessions].index(slug))
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx, offer_demo=False), terminal_size=SIZE, run_before=settle(keys("4"), pick))
