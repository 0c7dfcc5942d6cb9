"""The confirmation e-mail's Message-ID names a real domain (list_id_domain, else the From address's), never `@>`:
read back from the message bytes, and from the .eml a sign-up through the real server wrote."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import Path

import pytest

from bulletin_tui.config import SenderSettings, Settings
from bulletin_tui.services.mailings.confirmations import confirmation_message

from .server import Server, confirmations_sent
from .test_abuse import Visitor, sign_up

MESSAGE_ID = re.compile(r"<[^<>@\s]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)>")


def message_id_domain(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    found = MESSAGE_ID.fullmatch(str(message["Message-ID"]))
    assert found, message["Message-ID"]
    return found.group(1)


@pytest.mark.parametrize(("sender", "domain"), [
    (SenderSettings(list_id_domain="lists.kent.gov.uk"), "lists.kent.gov.uk"),
    (SenderSettings(list_id_domain="", from_address="team@Example.ORG"), "example.org"),
    (SenderSettings(list_id_domain="", from_address="team@"), "kcst.bulletin.invalid"),
])
def test_the_message_id_domain(tmp_path: Path, sender: SenderSettings, domain: str) -> None:
    settings = Settings(data_dir=tmp_path, sender=sender)
    raw = confirmation_message(settings, "reader@example.org", "Please confirm", "You asked.", "https://x/confirm/1")
    assert message_id_domain(raw) == domain


def test_a_sign_up_sends_a_message_id_with_a_domain(server: Server, web_data: Path) -> None:
    status, _ = sign_up(Visitor(server.url), "new.reader@example.org")
    assert status == 200
    [sent] = confirmations_sent(web_data)
    raw = sent.read_bytes()
    sender = parseaddr(str(message_from_bytes(raw, policy=policy.default)["From"]))[1]
    assert message_id_domain(raw) == sender.rpartition("@")[2].lower()
