"""Regenerate the README screenshots (SVG) from demo data and a fixed clock."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from textual.widgets import DataTable  # noqa: E402

from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.demo.loader import load_demo  # noqa: E402
from bulletin_tui.services.sessions.registrations import register  # noqa: E402
from bulletin_tui.services.sessions.catalogue import list_sessions  # noqa: E402
from bulletin_tui.tui.app import make_app  # noqa: E402

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Settings(data_dir=Path(tmp) / "data"), create=True, clock=FixedClock(NOW))
        load_demo(ctx)
        session = [s for s in list_sessions(ctx) if s.capacity][0]
        for n in range(48):
            register(ctx, session.slug, f"attendee{n}@example.org", name=f"Attendee {n}")
        app = make_app(ctx, offer_demo=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.sub_title = "~/kcst-bulletin-data"
            app.save_screenshot("dashboard.svg", str(HERE))
            await pilot.press("3")
            await pilot.pause()
            screen = app.screen
            screen.query_one("#issue-table", DataTable).move_cursor(row=screen.issue_slugs.index(f"{NOW:%Y-%m}"))
            await pilot.press("c")
            await pilot.pause()
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot("bulletin-checks.svg", str(HERE))
        ctx.close()


if __name__ == "__main__":
    asyncio.run(main())
