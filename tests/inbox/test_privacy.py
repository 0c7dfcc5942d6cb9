"""Subject access shows what the inbox recorded about a person; erasure leaves none of it."""

from __future__ import annotations

import imaplib

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.fetch import fetch_inbox
from bulletin_tui.services.privacy.subject import erase, subject_access

from .conftest import TeamMailbox as Dovecot
from .conftest import deliver_corpus


def test_show_data_and_erase_cover_the_inbox(inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    deliver_corpus(dovecot, ["gmail-dsn.eml", "bare-unsubscribe.eml"])
    fetch_inbox(inbox_ctx, imap)
    bounced = subject_access(inbox_ctx, "gone.volunteer@gmail.com")["inbox"]
    assert bounced["bounce_score"]["hard"] == 1 and bounced["changes"][0]["action"] == "bounce"
    asked = subject_access(inbox_ctx, "robin.reader@gravesham.example")["inbox"]
    assert asked["messages"][0]["subject"].startswith("RE: Community Safety")

    for address in ("gone.volunteer@gmail.com", "robin.reader@gravesham.example"):
        report = erase(inbox_ctx, address)
        assert report.inbox_records >= 1
    database = (inbox_ctx.data_dir / "bulletin.json").read_text()
    assert "gone.volunteer" not in database and "robin.reader" not in database
