"""The Inbox screen registers the sender of a request for one date of a session on several (real Dovecot)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, OptionList

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, occurrences
from bulletin_tui.services.sessions.registrations import registration_id
from bulletin_tui.tui.app import BulletinApp
from bulletin_tui.tui.screens.inbox import SessionPicker

from ..tui.conftest import SIZE
from ..tui.conftest import app_for as app_for  # noqa: F401 - the fixture
from .conftest import TeamMailbox as Dovecot
from .conftest import deliver_corpus, fetch_on_inbox_screen, use_mailbox


async def test_register_the_sender_for_a_chosen_date(
    inbox_ctx: AppContext, dovecot: Dovecot, app_for: Callable[..., BulletinApp],  # noqa: F811
) -> None:
    use_mailbox(inbox_ctx, dovecot)
    start, end = catalogue.parse_times("2027-01-28 12:30", "13:30")
    occurrences.add_occurrence(inbox_ctx, "csis-2027-01", start=start, end=end)
    deliver_corpus(dovecot, ["register-me.eml"])
    app = app_for(inbox_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await fetch_on_inbox_screen(app, pilot)
        app.screen.query_one("#review-table", DataTable).focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionPicker)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[:2] == ["csis-2027-01/1", "csis-2027-01/2"] and options.highlighted == 0  # the suggested session
        options.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
    registration = inbox_ctx.store.registrations.get(
        registration_id("csis-2027-01", "jordan.housing@folkestone-hythe.example"))
    assert registration is not None and (registration.occurrence_id, registration.status.value) == ("2", "confirmed")
