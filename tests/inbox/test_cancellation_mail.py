"""E-mails that give up a place ("Cancel: <title>, <date>" as the invite tells people to write, "Declined: <title>"
without a calendar part, "I can no longer attend") are offered in review as a one-key cancellation of the place the
sender holds, never as a registration request."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from textual.widgets import DataTable

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.mailbox.classify import classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import CANCEL_KIND, Context, apply
from bulletin_tui.services.inbox.fetch import _record
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState, inbox_messages
from bulletin_tui.services.inbox.review import cancel_sender
from bulletin_tui.services.inbox.undo import undo
from bulletin_tui.services.sessions.registrations import registration_id
from bulletin_tui.services.subscribers.tokens import find_tokens
from bulletin_tui.tui.app import BulletinApp
from bulletin_tui.tui.screens.confirm import ConfirmModal

from ..tui.conftest import SIZE
from ..tui.conftest import app_for as app_for  # noqa: F401 - the fixture
from .conftest import REGISTERED, WAITING, fetch_on_inbox_screen, use_mailbox
from .conftest import TeamMailbox as Dovecot

HOLDER = REGISTERED[0]  # chris.officer@tunbridgewells.example, confirmed for csis-2027-01 (capacity 3, wendy waits)


def _mail(sender: str, subject: str, body: str, key: str = "<cancel-1@tunbridgewells.example>") -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = sender, "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = subject, key
    message.set_content(body)
    return message.as_bytes()


def _status(ctx: AppContext, address: str) -> RegistrationStatus:
    registration = ctx.store.registrations.get(registration_id("csis-2027-01", address))
    assert registration is not None
    return registration.status


@pytest.mark.parametrize(("subject", "body"), [
    ("Cancel: CSIS: Serious Violence Duty, Thursday 14 January 2027", ""),
    ("Declined: CSIS: Serious Violence Duty", "Sorry, I have a clash.\n"),
    ("RE: CSIS: Serious Violence Duty", "Hi, I can no longer attend on the 14th. Please give my place to someone "
                                        "else.\n\nThanks\nChris"),
])
def test_a_cancellation_is_offered_as_one_and_never_as_a_registration(
        inbox_ctx: AppContext, subject: str, body: str) -> None:
    mail = parse_mail(_mail(HOLDER, subject, body))
    outcome = apply(Context(app=inbox_ctx, sent=sent_index(inbox_ctx)), mail, classify(mail, find_tokens), "c-1")
    assert outcome.state is MessageState.REVIEW and outcome.kind == CANCEL_KIND
    assert outcome.suggestion == "csis-2027-01" and outcome.note == "cancellation request: CSIS: Serious Violence Duty"
    assert _status(inbox_ctx, HOLDER) is RegistrationStatus.CONFIRMED  # nothing happens until a person decides


def test_a_cancellation_from_someone_holding_no_place_says_so(inbox_ctx: AppContext) -> None:
    mail = parse_mail(_mail("nobody.here@example.org", "Cancel: CSIS: Serious Violence Duty", ""))
    outcome = apply(Context(app=inbox_ctx, sent=sent_index(inbox_ctx)), mail, classify(mail, find_tokens), "c-2")
    assert outcome.kind == CANCEL_KIND and outcome.suggestion == ""
    assert outcome.note == "asks to cancel, but holds no upcoming place"


def test_a_registration_request_is_still_one(inbox_ctx: AppContext) -> None:
    mail = parse_mail(_mail("new.person@example.org", "Booking", "Please register me for the CSIS on Serious "
                                                                 "Violence Duty on 14 January."))
    outcome = apply(Context(app=inbox_ctx, sent=sent_index(inbox_ctx)), mail, classify(mail, find_tokens), "c-3")
    assert outcome.kind != CANCEL_KIND and outcome.suggestion == "csis-2027-01"


async def test_c_on_the_inbox_screen_gives_up_the_place_and_undo_gives_it_back(
    inbox_ctx: AppContext, dovecot: Dovecot, app_for: Callable[..., BulletinApp],  # noqa: F811
) -> None:
    use_mailbox(inbox_ctx, dovecot)
    dovecot.deliver(_mail(HOLDER, "Cancel: CSIS: Serious Violence Duty, Thursday 14 January 2027", ""))
    app = app_for(inbox_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await fetch_on_inbox_screen(app, pilot)
        app.screen.query_one("#review-table", DataTable).focus()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and HOLDER in app.screen.question
        await pilot.click("#confirm")
        await pilot.pause()
    assert _status(inbox_ctx, HOLDER) is RegistrationStatus.CANCELLED
    assert _status(inbox_ctx, WAITING) is RegistrationStatus.CONFIRMED  # the waiting list moved up
    [message] = inbox_messages(inbox_ctx)
    assert message.state is MessageState.RESOLVED
    assert undo(inbox_ctx, message.actions[-1]) == "registered again (waitlisted)"  # the freed place was taken
    assert _status(inbox_ctx, HOLDER) is RegistrationStatus.WAITLISTED


def test_cancel_refuses_a_sender_who_holds_no_place(inbox_ctx: AppContext) -> None:
    mail = parse_mail(_mail("nobody.here@example.org", "Cancel: CSIS", ""))
    found = classify(mail, find_tokens)
    outcome = apply(Context(app=inbox_ctx, sent=sent_index(inbox_ctx)), mail, found, "<cancel-1@x>")
    class _Box:
        name, uidvalidity = "INBOX", 1

    _record(inbox_ctx, _Box(), 1, "<cancel-1@x>", mail, found.kind, found.reason, outcome)  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="which session"):
        cancel_sender(inbox_ctx, "<cancel-1@x>")
    with pytest.raises(DomainError, match="holds no place in csis-2027-01"):
        cancel_sender(inbox_ctx, "<cancel-1@x>", "csis-2027-01")
