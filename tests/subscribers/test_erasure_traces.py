"""Erasure leaves no trace of the address (issue #11 item 16): ledger reply texts, outbox files under any
spelling, and `show-data` lists everything `erase` removes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import orjson

from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.ledger import read_records
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.privacy.subject import erase, subject_access
from bulletin_tui.services.subscribers.people import add_subscriber
from tests.conftest import DEMO_ISSUE, CliRun
from tests.sending.helpers import smtp_to
from tests.sending.smtp_server import running_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"
CAMPAIGN = f"bulletin-{ISSUE}-{LIST}"


def _traces(text: str, *needles: str) -> list[str]:
    lowered = text.lower()
    return [n for n in needles if n.lower() in lowered]


def test_cli_erase_leaves_no_address_in_campaign_views_or_the_outbox(cli: CliRun, tmp_path: Path) -> None:
    cli("demo")
    cli("subscribers", "add", "Zelda@example.org", "--name", "Zelda")
    cli("subscribers", "add", "jöhn@bücher.example", "--name", "Jöhn")
    cli("sessions", "add", "s1", "--title", "CSIS", "--start", "2030-12-10 12:30", "--end", "13:30")
    cli("sessions", "register", "s1", "jöhn@bücher.example", "--name", "Jöhn")
    cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0")
    shown = cli("mailings", "show", CAMPAIGN)
    assert "Zelda@example.org" in shown and "written to" in shown and not _traces(
        shown.replace("Zelda@example.org", ""), "zelda")  # the address in its own column only, never in replies
    held = json.loads(cli("subscribers", "show-data", "JÖHN@xn--bcher-kva.example"))
    assert len(held["outbox_messages"]) == 2 and [m["kind"] for m in held["session_mail"]] == ["invite"]
    assert len(held["send_ledger"]) >= 3 and "operator's responsibility" in held["not_covered"]
    for address in ("zelda@EXAMPLE.org", "JÖHN@xn--bcher-kva.example"):
        out = cli("subscribers", "erase", address, "--yes")
        assert "outbox messages removed: " + ("1" if "zelda" in address else "2") in out
        assert "outside the data folder" in out and "operator's responsibility" in out
    cli("mailings", "export", CAMPAIGN, str(tmp_path / "ledger.csv"))
    exported = (tmp_path / "ledger.csv").read_text(encoding="utf-8")
    assert len(list(csv.DictReader(exported.splitlines()))) > 100
    needles = ("zelda", "jöhn", "j_hn", "bücher", "b_cher", "xn--bcher")
    assert not _traces(cli("mailings", "show", CAMPAIGN) + exported, *needles)
    for ledger in ledger_dir(cli.data_dir).rglob("*.jsonl"):
        assert not _traces(ledger.read_text(encoding="utf-8"), *needles), ledger
    outbox = "".join(p.name for p in (cli.data_dir / "outbox").glob("*.eml"))
    assert not _traces(outbox, *needles)


async def test_a_bounce_reply_never_holds_the_address(demo_ctx: AppContext) -> None:
    add_subscriber(demo_ctx, "bounce1@example.org", list_name=LIST)
    async with running_server() as server:
        server.script.rcpt["bounce1@example.org"] = ["550 5.1.1 <bounce1@example.org>: Recipient address rejected"]
        await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0, transport=smtp_to(server.port))
    [failed] = [r for r in read_records(ledger_dir(demo_ctx.data_dir) / f"{CAMPAIGN}.jsonl")
                if r.get("state") == "failed"]
    assert failed["email"] == "bounce1@example.org" and failed["reply"].startswith("550 5.1.1 <[recipient]>")
    erase(demo_ctx, "bounce1@example.org")
    assert b"bounce1" not in (ledger_dir(demo_ctx.data_dir) / f"{CAMPAIGN}.jsonl").read_bytes()


def test_a_ledger_written_before_the_upgrade_is_found_and_redacted(ctx: AppContext) -> None:
    """Legacy key (Unicode domain) and an address inside an old reply text."""
    path = ledger_dir(ctx.data_dir) / "bulletin-2026-10-e-bulletin.jsonl"
    records = [{"at": "2026-10-01T10:00:00.000+00:00", "event": "campaign", "total": 2},
               {"at": "2026-10-01T10:00:01.000+00:00", "key": "ute@bücher.example", "email": "Ute@bücher.example",
                "state": "sent", "code": 250, "reply": "written to 000001-Ute@b_cher.example.eml (outbox)"},
               {"at": "2026-10-01T10:00:02.000+00:00", "key": "ann@example.org", "email": "ann@example.org",
                "state": "failed", "code": 550, "reply": "550 ann@example.org, ute@xn--bcher-kva.example: refused"}]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    add_subscriber(ctx, "ute@bücher.example")
    held = subject_access(ctx, "UTE@xn--bcher-kva.example")
    assert [r["state"] for r in held["send_ledger"]] == ["sent"]
    report = erase(ctx, "ute@xn--bcher-kva.example")
    assert report.ledger_entries == 2
    text = path.read_text(encoding="utf-8")
    assert not _traces(text, "ute@", "b_cher", "bücher", "xn--bcher") and "ann@example.org" in text
