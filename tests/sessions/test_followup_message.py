"""The follow-up message itself: a golden plain-text part (fixed clock), typed text that looks like a token stays
as typed, an attachment named in non-ASCII keeps its name (RFC 2231), an unusable file name is refused."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.sending.progress import Recipient
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.followup import followup_builder
from bulletin_tui.services.sessions.followup import MaterialsChange, followup_plan, get_materials, set_materials

from .followup_support import SLUG, over_and_recorded, pdf_bytes, set_all_materials


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "txt"


@pytest.fixture
def ready(ctx: AppContext, tmp_path: Path) -> AppContext:
    pdf = tmp_path / "Attendee pack – November.pdf"
    pdf.write_bytes(pdf_bytes(pad=500))
    over_and_recorded(ctx)
    set_all_materials(ctx, pdf)
    return ctx


def message_for(ctx: AppContext, email_address: str, name: str) -> EmailMessage:
    built = followup_builder(ctx, followup_plan(ctx, SLUG))(Recipient(email_address, name))
    message = email.message_from_bytes(built, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_plain_text_golden(ready: AppContext, snapshot) -> None:  # type: ignore[no-untyped-def]
    text = message_for(ready, "ann@example.org", "Ann Example").get_body(("plain",))
    assert text is not None
    content = text.get_content().replace("\r\n", "\n")  # the wire has CRLF; the golden file LF
    assert content == snapshot(extension_class=TextSnapshot)
    assert max(len(line) for line in content.splitlines()) <= 78
    assert content.index("YOUR FEEDBACK") < content.index("MATERIALS FROM THE SESSION")


def test_a_non_ascii_attachment_name_survives_and_headers_stay_ascii(ready: AppContext) -> None:
    built = followup_builder(ready, followup_plan(ready, SLUG))(Recipient("ann@example.org", "Ann"))
    assert b"filename*=utf-8''Attendee%20pack%20%E2%80%93%20November.pdf" in built and built.isascii()
    [attached] = list(email.message_from_bytes(built, policy=email.policy.default).iter_attachments())
    assert attached.get_filename() == "Attendee pack – November.pdf"
    assert attached.get_content_type() == "application/pdf"


def test_text_that_looks_like_a_token_is_not_filled_in(ready: AppContext) -> None:
    set_materials(ready, SLUG, MaterialsChange(note="Dear XBTNAMEX, see XBTEMAILX."))
    message = message_for(ready, "bob@example.org", "Bob Secret")
    for part in ("plain", "html"):
        body = message.get_body((part,))
        assert body is not None
        content = body.get_content()
        assert content.count("Bob Secret") == 1  # the greeting only
        assert "XB\u200bTNAMEX" in content


def test_an_unusable_file_name_is_refused_and_nothing_is_stored(ctx: AppContext, tmp_path: Path) -> None:
    over_and_recorded(ctx)
    odd = tmp_path / "slides\nDisposition.pdf"
    odd.write_bytes(pdf_bytes())
    with pytest.raises(DomainError, match="the file name cannot be used"):
        set_materials(ctx, SLUG, MaterialsChange(attach=[odd]))
    assert get_materials(ctx, SLUG).empty
