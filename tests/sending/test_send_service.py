"""The bulletin send service on demo data: outbox default, SMTP, skips, bounces, privacy hooks, CSV export."""

from __future__ import annotations

import asyncio
import csv
import email
import email.policy
from pathlib import Path

import pytest

from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.sending.progress import RunStatus
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import runs as campaigns
from bulletin_tui.services.mailings import send
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.privacy.subject import erase, subject_access
from bulletin_tui.services.subscribers.people import audience, unsubscribe
from bulletin_tui.services.subscribers.suppression import is_suppressed
from bulletin_tui.services.subscribers.tokens import find_tokens, verify_unsubscribe_token
from tests.conftest import DEMO_ISSUE

from .helpers import smtp_to
from .smtp_server import running_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


async def test_checks_must_pass_unless_forced(demo_ctx: AppContext) -> None:
    with pytest.raises(DomainError, match="pre-send check"):
        send.bulletin_campaign(demo_ctx, ISSUE, LIST)
    assert campaigns.list_campaigns(demo_ctx) == []


async def test_send_to_outbox_one_message_each_with_own_token(demo_ctx: AppContext) -> None:
    demo_ctx.settings.sender.unsubscribe_url = "https://kent.example/unsubscribe/"
    people = audience(demo_ctx, LIST)
    result = await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0)
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": len(people)} and result.exit_code == 0
    files = sorted((demo_ctx.data_dir / "outbox").glob("*.eml"))
    assert len(files) == len(people)
    messages = [parse(f.read_bytes()) for f in files]
    assert sorted(m["To"] for m in messages) == sorted(p.email for p in people)
    tokens = [find_tokens(m["List-Unsubscribe"])[0] for m in messages]
    assert len(set(tokens)) == len(tokens)
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in messages)
    first = messages[0]
    key, list_slug = verify_unsubscribe_token(demo_ctx, tokens[0])
    assert key == first["To"].lower() and list_slug == LIST
    html = first.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f"https://kent.example/unsubscribe/{tokens[0]}" in html and "XBT" not in html
    assert demo_ctx.store.issues.get(ISSUE).status is IssueStatus.SENT  # type: ignore[union-attr]
    with pytest.raises(DomainError, match="already started"):
        send.bulletin_campaign(demo_ctx, ISSUE, LIST, force=True)
    again = await send_bulletin(demo_ctx, ISSUE, LIST, resume=True)
    assert again.counts == {"sent": len(people)} and len(list((demo_ctx.data_dir / "outbox").glob("*.eml"))) == len(
        files)


async def test_unsubscribe_and_erase_during_a_paused_campaign_are_skipped(demo_ctx: AppContext) -> None:
    people = audience(demo_ctx, LIST)[:12]
    leaver, erased = people[8].email, people[9].email
    async with running_server() as server:
        runner = send.bulletin_campaign(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0, concurrency=1,
                                        transport=smtp_to(server.port))
        task = asyncio.create_task(runner.run())
        while len(server.messages) < 3:
            await asyncio.sleep(0.005)
        runner.pause()
        await asyncio.sleep(0.05)
        unsubscribe(demo_ctx, leaver, LIST)
        erase(demo_ctx, erased)
        runner.resume()
        result = await task
        await runner.close()
    total = len(audience(demo_ctx, LIST)) + 2
    assert result.counts == {"sent": total - 2, "skipped": 2}
    got = server.handler.by_recipient()
    assert leaver not in got and erased not in got and set(got.values()) == {1}
    ledger_text = campaigns.ledger_path(demo_ctx, f"bulletin-{ISSUE}-{LIST}").read_text()
    assert erased not in ledger_text and erased.lower() not in ledger_text and "erased:" in ledger_text
    assert '"unsubscribed since the campaign started"' in ledger_text
    assert send.ledger_entries_for(demo_ctx, erased) == []
    assert [r["state"] for r in send.ledger_entries_for(demo_ctx, leaver)] == ["queued", "skipped"]


async def test_hard_bounce_suppresses_the_address(demo_ctx: AppContext) -> None:
    victim = audience(demo_ctx, LIST)[4].email
    async with running_server() as server:
        server.script.rcpt[victim] = [f"550 5.1.1 <{victim}>: user unknown"]
        result = await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0,
                                     transport=smtp_to(server.port))
    assert result.counts["failed"] == 1 and result.exit_code == 3
    assert is_suppressed(demo_ctx, victim) and victim not in server.handler.by_recipient()
    assert demo_ctx.store.issues.get(ISSUE).status is IssueStatus.SENT  # type: ignore[union-attr]


async def test_test_send_goes_to_one_address_only(demo_ctx: AppContext) -> None:
    async with running_server() as server:
        delivery = await send.send_test(demo_ctx, ISSUE, "operator@kent.gov.uk", LIST,
                                        transport=SmtpTransport(smtp_to(server.port).settings))
    assert delivery.code == 250 and [m.rcpt_tos for m in server.messages] == [["operator@kent.gov.uk"]]
    assert parse(server.messages[0].data)["Subject"].startswith("[TEST] ")
    assert campaigns.list_campaigns(demo_ctx) == []


async def test_subject_access_export_and_listing(demo_ctx: AppContext, tmp_path: Path) -> None:
    person = audience(demo_ctx, LIST)[0].email
    await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0)
    held = subject_access(demo_ctx, person)["send_ledger"]
    assert [r["state"] for r in held] == ["queued", "attempting", "sent"]
    assert held[0]["campaign"] == f"bulletin-{ISSUE}-{LIST}"
    [status] = send.list_campaigns(demo_ctx)
    assert status.meta["issue"] == ISSUE and status.counts == {"sent": status.total} and status.to_send == 0
    out = tmp_path / "ledger.csv"
    rows = campaigns.export_csv(demo_ctx, status.campaign_id, out)
    table = list(csv.DictReader(out.open()))
    assert rows == len(table) == 3 * status.total
    assert {"email": person, "state": "sent", "code": "250"}.items() <= next(
        r for r in table if r["email"] == person and r["state"] == "sent").items()


async def test_connection_check_without_smtp_names_the_outbox(demo_ctx: AppContext) -> None:
    assert "outbox" in await send.check_smtp_connection(demo_ctx)


def test_audience_snapshot_matches_the_subscribers_audience(demo_ctx: AppContext) -> None:
    from bulletin_tui.services.subscribers.suppression import suppress

    for dl in demo_ctx.store.lists.all():
        suppress(demo_ctx, audience(demo_ctx, dl.slug)[0].email, "test")
        unsubscribe(demo_ctx, audience(demo_ctx, dl.slug)[1].email, dl.slug)
        expected = [(p.email, p.name) for p in audience(demo_ctx, dl.slug)]
        assert [(r.email, r.name) for r in send.audience_snapshot(demo_ctx, dl.slug)] == expected
