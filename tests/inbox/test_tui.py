"""The Inbox screen under Pilot, against a real Dovecot: fetch now, register the sender of a request, dismiss."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable

from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.records import MessageState, inbox_messages
from bulletin_tui.services.sessions.registrations import registration_id
from bulletin_tui.tui.app import BulletinApp
from bulletin_tui.tui.screens.inbox import SessionPicker

from ..tui.conftest import SIZE
from ..tui.conftest import app_for as app_for  # noqa: F401 - the fixture
from .conftest import TeamMailbox as Dovecot
from .conftest import deliver_corpus, fetch_on_inbox_screen, use_mailbox


async def test_fetch_register_and_dismiss_from_the_inbox_screen(
    inbox_ctx: AppContext, dovecot: Dovecot, app_for: Callable[..., BulletinApp],  # noqa: F811
) -> None:
    use_mailbox(inbox_ctx, dovecot)
    deliver_corpus(dovecot, ["register-me.eml", "general-enquiry.eml", "gmail-dsn.eml"])
    app = app_for(inbox_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await fetch_on_inbox_screen(app, pilot)
        assert len(inbox_messages(inbox_ctx)) == 3
        review = app.screen.query_one("#review-table", DataTable)
        assert review.row_count == 2
        request_row = next(i for i, m in enumerate(app.screen.queue) if "Booking" in m.subject)
        review.focus()
        review.move_cursor(row=request_row)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionPicker)
        await pilot.press("enter")
        await pilot.pause()
        registration = inbox_ctx.store.registrations.get(
            registration_id("csis-2027-01", "jordan.housing@folkestone-hythe.example"))
        assert registration is not None and registration.status is RegistrationStatus.WAITLISTED
        assert registration.source.startswith("registration request by email <CWLP265MB3333REG@")
        await pilot.press("d")
        await pilot.pause()
        assert [m.state for m in inbox_messages(inbox_ctx) if m.state is MessageState.REVIEW] == []
        assert review.row_count == 0
