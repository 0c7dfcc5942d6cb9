"""Bulletins to international addresses (issue #11 item 7): A-label domains on the envelope and in headers, a UTF-8
local part only with SMTPUTF8, and a message that cannot be built fails alone."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from bulletin_tui.domain.clock import SystemClock
from bulletin_tui.sending.ledger import Ledger, read_records
from bulletin_tui.sending.mailing import Campaign
from bulletin_tui.sending.progress import Recipient, RunOptions, RunStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import runs as campaigns
from bulletin_tui.services.mailings import send
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.subscribers.people import add_subscriber
from tests.conftest import DEMO_ISSUE

from .helpers import FAST, SENDER, builder, new_ledger, smtp_to
from .smtp_server import running_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"


def header_to(raw: bytes) -> str:
    message = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)
    [address] = message["To"].addresses
    return address.addr_spec


async def test_idn_domain_goes_as_a_labels_and_utf8_local_part_needs_smtputf8(demo_ctx: AppContext) -> None:
    add_subscriber(demo_ctx, "ute@bücher.example", name="Ute Müller", list_name=LIST)
    add_subscriber(demo_ctx, "jöhn@example.org", name="Jöhn", list_name=LIST)
    async with running_server(smtputf8=False) as server:
        result = await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0,
                                     transport=smtp_to(server.port))
    assert result.status is RunStatus.COMPLETE and result.counts["failed"] == 1
    states = {p.email: p for p in campaigns.recipients(demo_ctx, send.campaign_id_for(ISSUE, LIST))}
    assert states["jöhn@example.org"].state.value == "failed"
    assert "non-ASCII local part" in states["jöhn@example.org"].reply
    assert states["ute@bücher.example"].state.value == "sent"
    [ute] = [m for m in server.messages if m.rcpt_tos == ["ute@xn--bcher-kva.example"]]
    assert ute.data.split(b"\r\n\r\n", 1)[0].isascii() and header_to(ute.data) == "ute@xn--bcher-kva.example"
    assert len(server.messages) == result.counts["sent"]


async def test_with_smtputf8_the_utf8_local_part_arrives_as_typed(demo_ctx: AppContext) -> None:
    add_subscriber(demo_ctx, "jöhn@bücher.example", name="Jöhn", list_name=LIST)
    async with running_server(smtputf8=True) as server:
        result = await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0,
                                     transport=smtp_to(server.port))
    assert result.status is RunStatus.COMPLETE and "failed" not in result.counts
    [john] = [m for m in server.messages if m.rcpt_tos == ["jöhn@xn--bcher-kva.example"]]
    assert header_to(john.data) == "jöhn@xn--bcher-kva.example"


async def test_any_error_while_building_fails_that_recipient_and_the_run_goes_on(tmp_path: Path) -> None:
    people = [Recipient(f"r{n}@example.org", f"Reader {n}") for n in range(4)]
    build_normally = builder()

    def build(recipient: Recipient) -> bytes:
        if recipient.email == "r1@example.org":
            raise UnicodeEncodeError("ascii", "ö", 0, 1, "ordinal not in range(128)")
        return build_normally(recipient)

    async with running_server() as server:
        runner = Campaign(new_ledger(tmp_path / "c.jsonl", people), smtp_to(server.port), build,
                          envelope_from=SENDER.from_address, clock=SystemClock(), options=RunOptions(**FAST))
        try:
            result = await runner.run()
        finally:
            await runner.close()
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 3, "failed": 1}
    [failed] = [r for r in read_records(tmp_path / "c.jsonl") if r.get("state") == "failed"]
    assert failed["key"] == "r1@example.org" and "could not be built (UnicodeEncodeError" in failed["reply"]
    assert sorted(m.rcpt_tos[0] for m in server.messages) == ["r0@example.org", "r2@example.org", "r3@example.org"]
    assert Ledger(tmp_path / "c.jsonl").states()[0]["r1@example.org"].attempts == 0
