"""The sessions screen: f shows the highlighted session's feedback summary; from it, i imports an export."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.feedback.imports import responses_for
from bulletin_tui.tui.app import make_app
from bulletin_tui.tui.screens.feedback import FeedbackModal
from bulletin_tui.tui.screens.sessions import SessionsScreen

from .conftest import FORMS_CSV, MakeSession

SIZE = (120, 36)
SLUG = "asb-cpd-2022-02-28"


def summary_shown(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#feedback-summary", Static).render())


async def test_feedback_key_shows_the_summary_and_imports_an_export(ctx: AppContext, make_session: MakeSession) -> None:
    make_session(SLUG)
    make_session("csis-later", start="2027-01-14 12:30", end="13:30", title="A later session")
    app = make_app(ctx, offer_demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        screen.query_one("#session-table", DataTable).move_cursor(row=[s.slug for s in screen.sessions].index(SLUG))
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackModal)
        assert "0 questionnaire responses" in summary_shown(app) and "No questionnaires imported yet" in summary_shown(
            app
        )
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#answer", Input).value = str(FORMS_CSV)
        await pilot.press("enter")
        await pilot.pause()
        assert len(responses_for(ctx, SLUG)) == 8
        assert isinstance(app.screen, FeedbackModal), "the summary comes back, now with the responses"
        shown = summary_shown(app)
        assert "8 questionnaire responses; 100 % rated delivery good or excellent" in shown
        assert "venue: 63 % good or excellent of 8" in shown and "attendance not recorded" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
