"""The follow-up after a session: materials stored safely, sent through a real SMTP server to attendees only
(or, as its own campaign, to no-shows), parsed back as a person receives it."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from pathlib import Path

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.followup import Audience
from bulletin_tui.sending.progress import RunStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.followup import (
    followup_campaign,
    followup_campaign_id,
    send_followup,
    still_to_send,
)
from bulletin_tui.services.sessions import attendance, registrations
from bulletin_tui.services.sessions.followup import (
    MaterialsChange,
    clear_materials,
    files_dir,
    followup_plan,
    get_materials,
    set_materials,
)

from ..sending.helpers import smtp_to
from ..sending.smtp_server import running_server
from .followup_support import (
    ATTENDED,
    FEEDBACK,
    NO_SHOW,
    PACK,
    RECORDING,
    SLIDES,
    SLUG,
    UNKNOWN,
    over_and_recorded,
    pdf_bytes,
    set_all_materials,
)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "Attendee pack.pdf"
    path.write_bytes(pdf_bytes(pad=30_000))
    return path


@pytest.fixture
def ready(ctx: AppContext, pdf: Path) -> AppContext:
    over_and_recorded(ctx)
    set_all_materials(ctx, pdf)
    return ctx


def html_and_text(message: EmailMessage) -> tuple[str, str]:
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    return html.get_content(), text.get_content()


async def test_attendees_only_get_links_feedback_and_the_pdf_byte_for_byte(ready: AppContext, pdf: Path) -> None:
    async with running_server() as server:
        result = await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 3}
    assert sorted(server.handler.by_recipient()) == ATTENDED  # not the no-show, the unknown, waiting or cancelled
    for received in server.messages:
        message = received.parsed()
        assert message["Subject"] == "Thank you for attending: CSIS: Tackling scams"
        assert message["List-Unsubscribe"] is None and message["Message-ID"] and message["Date"]
        assert message["To"] == received.rcpt_tos[0]
        html, text = html_and_text(message)
        name = received.rcpt_tos[0].split("@")[0].title()
        assert f"Hello {name}," in html and f"Hello {name}," in text
        assert "Thursday 5 November 2026" in html and "Thursday 5 November 2026" in text
        for url in (SLIDES, RECORDING, PACK, FEEDBACK):
            assert f'href="{url}"' in html and url in text
        assert "Complete the feedback questionnaire for CSIS: Tackling scams" in html
        assert html.index(FEEDBACK) < html.index(SLIDES)  # the feedback link comes first
        assert "The next CSIS is in December." in text
        [attached] = list(message.iter_attachments())
        assert attached.get_content_type() == "application/pdf"
        assert attached.get_filename() == "Attendee pack.pdf"
        assert attached.get_content() == pdf.read_bytes()


async def test_no_shows_are_a_separate_campaign_with_their_own_wording(ready: AppContext) -> None:
    async with running_server() as server:
        await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
        result = await send_followup(ready, SLUG, Audience.NO_SHOWS, transport=smtp_to(server.port), rate_per_minute=0)
    assert result.counts == {"sent": 1}
    last = server.messages[-1]
    assert last.rcpt_tos == [NO_SHOW]
    assert last.parsed()["Subject"] == "Sorry we missed you: materials from CSIS: Tackling scams"
    assert server.handler.by_recipient() == {**dict.fromkeys(ATTENDED, 1), NO_SHOW: 1}
    ledgers = {p.stem for p in (ready.data_dir / "ledgers").glob("*.jsonl")}
    assert {followup_campaign_id(SLUG), followup_campaign_id(SLUG, Audience.NO_SHOWS)} <= ledgers


async def test_running_again_resumes_and_nobody_gets_it_twice(ready: AppContext) -> None:
    async with running_server() as server:
        first = await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
        again = await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
    assert first.counts == again.counts == {"sent": 3}
    assert set(server.handler.by_recipient().values()) == {1} and len(server.messages) == 3


async def test_attendance_changed_after_the_snapshot_is_skipped(ready: AppContext) -> None:
    async with running_server() as server:
        campaign = followup_campaign(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
        attendance.mark_attendance(ready, SLUG, ATTENDED[1], False)
        try:
            result = await campaign.run()
        finally:
            await campaign.close()
    assert result.counts == {"sent": 2, "skipped": 1}
    assert ATTENDED[1] not in server.handler.by_recipient()


def test_refused_before_the_session_ended_or_attendance_is_recorded(ctx: AppContext, make_session) -> None:  # type: ignore[no-untyped-def]
    make_session("later", start="2026-12-03 12:30", end="13:30")
    with pytest.raises(DomainError, match="has not ended yet"):
        followup_plan(ctx, "later")
    make_session("past", start="2026-11-05 12:30", end="13:30")
    registrations.register(ctx, "past", "ann@example.org")
    with pytest.raises(DomainError, match="attendance for 'past' is not recorded yet"):
        followup_plan(ctx, "past")
    attendance.mark_attendance(ctx, "past", "ann@example.org", True)
    with pytest.raises(DomainError, match="no materials set"):
        followup_plan(ctx, "past")


def test_a_6_mb_pdf_and_a_renamed_text_file_are_refused_and_nothing_is_stored(ctx: AppContext, tmp_path: Path) -> None:
    over_and_recorded(ctx)
    big = tmp_path / "recording-transcript.pdf"
    big.write_bytes(pdf_bytes(pad=6 * 1024 * 1024 - 600))
    fake = tmp_path / "slides.pdf"
    fake.write_text("These are not slides.\n", encoding="utf-8")
    small = tmp_path / "pack.pdf"
    small.write_bytes(pdf_bytes())
    with pytest.raises(
        DomainError, match=r"recording-transcript\.pdf is 6\.0 MB; an attachment may be at most 5\.0 MB"
    ):
        set_materials(ctx, SLUG, MaterialsChange(feedback_url=FEEDBACK, attach=[small, big]))
    with pytest.raises(DomainError, match=r"slides\.pdf is not a PDF"):
        set_materials(ctx, SLUG, MaterialsChange(feedback_url=FEEDBACK, attach=[small, fake]))
    assert get_materials(ctx, SLUG).empty
    assert not files_dir(ctx.data_dir).exists() or not list(files_dir(ctx.data_dir).iterdir())


def test_attachments_are_copied_fingerprinted_and_pruned(ready: AppContext, pdf: Path) -> None:
    [stored] = get_materials(ready, SLUG).attachments
    copy = files_dir(ready.data_dir) / stored.stored_name
    assert (
        stored.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest() == hashlib.sha256(copy.read_bytes()).hexdigest()
    )
    assert copy.stat().st_mode & 0o777 == 0o600
    pdf.unlink()  # the user's file may go: the send uses the copy
    set_materials(ready, SLUG, MaterialsChange(detach=[stored.filename]))
    assert not copy.exists() and get_materials(ready, SLUG).feedback_url == FEEDBACK
    assert clear_materials(ready, SLUG) and get_materials(ready, SLUG).empty


async def test_a_tampered_copy_is_refused_before_anything_is_sent(ready: AppContext) -> None:
    [stored] = get_materials(ready, SLUG).attachments
    (files_dir(ready.data_dir) / stored.stored_name).write_bytes(pdf_bytes(pad=10))
    with pytest.raises(DomainError, match="has changed since it was attached"):
        await send_followup(ready, SLUG, rate_per_minute=0)
    assert not (ready.data_dir / "ledgers" / f"{followup_campaign_id(SLUG)}.jsonl").exists()


async def test_attendance_recorded_after_the_send_is_added_on_the_next_run(ready: AppContext) -> None:
    async with running_server() as server:
        await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
        attendance.mark_attendance(ready, SLUG, UNKNOWN, True)  # a late Teams report, a correction
        plan = followup_plan(ready, SLUG)
        assert still_to_send(ready, plan) == (0, 1)
        again = await send_followup(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
    assert again.counts == {"sent": 4}
    assert server.handler.by_recipient() == dict.fromkeys([*ATTENDED, UNKNOWN], 1)
    assert still_to_send(ready, followup_plan(ready, SLUG)) == (0, 0)


async def test_a_person_erased_after_the_snapshot_is_skipped_and_redacted(ready: AppContext) -> None:
    from bulletin_tui.services.privacy.subject import erase

    async with running_server() as server:
        campaign = followup_campaign(ready, SLUG, transport=smtp_to(server.port), rate_per_minute=0)
        erase(ready, ATTENDED[0])
        try:
            result = await campaign.run()
        finally:
            await campaign.close()
    assert result.counts == {"sent": 2, "skipped": 1}
    assert ATTENDED[0] not in server.handler.by_recipient()
    ledger = (ready.data_dir / "ledgers" / f"{followup_campaign_id(SLUG)}.jsonl").read_text(encoding="utf-8")
    assert ATTENDED[0] not in ledger and "erased:" in ledger
