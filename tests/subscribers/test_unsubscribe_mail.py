"""A batch of saved mailto unsubscribe requests: token in subject or body, forged, missing, sender fallback."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.people import add_subscriber, is_subscribed
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.services.subscribers.unsubscribe_mail import process_unsubscribe_mail


def save(folder: Path, name: str, *, subject: str, body: str = "", sender: str = "someone@example.org") -> Path:
    message = EmailMessage()
    message["From"], message["To"] = sender, "kcst-unsubscribe@example.org"
    message["Subject"], message["Message-ID"] = subject, f"<{name}@example.org>"
    message.set_content(body or "Please unsubscribe me.")
    path = folder / name
    path.write_bytes(bytes(message))
    return path


@pytest.fixture
def people(ctx: AppContext) -> AppContext:
    for address in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        add_subscriber(ctx, address)
    return ctx


def test_a_folder_of_requests_is_processed_one_outcome_per_file(people: AppContext, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    token_a, token_b = (unsubscribe_token(people, a, "e-bulletin") for a in ("a@example.org", "b@example.org"))
    save(inbox, "1.eml", subject=f"unsubscribe {token_a}")
    save(inbox, "2.eml", subject="Unsubscribe", body=f"Link: https://example.org/u/{token_b}\n")
    forged = token_a[:-3] + ("AAA" if not token_a.endswith("AAA") else "BBB")
    save(inbox, "3.eml", subject=f"unsubscribe {forged}", sender="c@example.org")
    save(inbox, "4.eml", subject="please remove me", sender="d@example.org")
    save(inbox, "5.eml", subject=f"unsubscribe {token_a}")  # the same request twice
    outcomes = {o.path.name: o for o in process_unsubscribe_mail(people, [inbox])}
    assert outcomes["1.eml"].lists == ("e-bulletin",) and outcomes["1.eml"].email == "a@example.org"
    assert outcomes["2.eml"].lists == ("e-bulletin",)
    assert "not genuine" in outcomes["3.eml"].error
    assert outcomes["4.eml"].error == "no unsubscribe token in the subject or body"
    assert outcomes["5.eml"].already == ("e-bulletin",) and not outcomes["5.eml"].error
    assert not is_subscribed(people, "a@example.org", "e-bulletin")
    assert not is_subscribed(people, "b@example.org", "e-bulletin")
    assert is_subscribed(people, "c@example.org", "e-bulletin")
    assert is_subscribed(people, "d@example.org", "e-bulletin")
    consent = people.store.subscribers.get("a@example.org").consent[-1]  # type: ignore[union-attr]
    assert consent.source == "unsubscribe e-mail" and "1.eml" in consent.reference


def test_sender_address_is_used_only_when_trusted(people: AppContext, tmp_path: Path) -> None:
    path = save(tmp_path, "plain.eml", subject="unsubscribe", sender="Dee <D@Example.org>")
    [outcome] = process_unsubscribe_mail(people, [path], trust_sender=True)
    assert outcome.by_sender and outcome.lists == ("e-bulletin",)
    assert not is_subscribed(people, "d@example.org", "e-bulletin")


def test_unreadable_file_is_an_outcome_not_a_crash(people: AppContext, tmp_path: Path) -> None:
    [outcome] = process_unsubscribe_mail(people, [tmp_path / "missing.eml"])
    assert outcome.error.startswith("cannot read")
