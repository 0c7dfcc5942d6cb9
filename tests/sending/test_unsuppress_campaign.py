"""`subscribers unsuppress --mailing ID` (or its old name `--campaign`) lifts exactly the suppressions one
mailing's bounces created (#11 item 6): never an erasure, an operator's suppression or a person's own unsubscribe."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from bulletin_tui.cli import app
from tests.conftest import DEMO_ISSUE, CliRun

from .smtp_server import threaded_server

ISSUE, LIST, CAMPAIGN = DEMO_ISSUE, "e-bulletin", f"bulletin-{DEMO_ISSUE}-e-bulletin"


def addresses(cli: CliRun, tmp_path: Path) -> list[str]:
    out = tmp_path / "people.csv"
    cli("subscribers", "export", str(out), "--list", LIST)
    return [row["Email"] for row in csv.DictReader(out.open(encoding="utf-8-sig"))]


def suppressed(cli: CliRun, email: str) -> str | None:
    return json.loads(cli("subscribers", "show-data", email))["suppressed"]


def test_unsuppress_campaign_lifts_only_that_campaigns_bounces(cli: CliRun, tmp_path: Path) -> None:
    cli("demo")
    people = addresses(cli, tmp_path)
    bounced, erased, manual, leaver = people[30], people[60], people[90], people[120]
    with threaded_server() as server:
        for address in (bounced, erased, manual):
            server.script.rcpt[address] = [f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"]
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0", *smtp, code=3)
    reason = suppressed(cli, bounced)
    assert reason == "hard bounce: 550 5.1.1 <[recipient]>: Recipient address rejected: User unknown (rcpt)"
    cli("subscribers", "erase", erased, "--yes")
    cli("subscribers", "suppress", manual, "--reason", "asked by phone")
    cli("subscribers", "unsubscribe", leaver, "--list", LIST)

    out = cli("subscribers", "unsuppress", "--mailing", CAMPAIGN)
    assert out.startswith(f"Lifted 1 suppression(s) created by bounces in campaign {CAMPAIGN}")
    assert suppressed(cli, bounced) is None
    assert suppressed(cli, manual) is not None  # the operator's later suppression pins it
    assert suppressed(cli, erased) is not None  # erasure keeps the address suppressed for ever
    leaver_data = json.loads(cli("subscribers", "show-data", leaver))
    assert leaver_data["subscriber"]["lists"][LIST]["status"] == "unsubscribed"

    again = cli("subscribers", "unsuppress", "--campaign", CAMPAIGN)
    assert again.startswith("Lifted 0 suppression(s)")
    missing = CliRunner().invoke(app, ["--data-dir", str(cli.data_dir), "subscribers", "unsuppress",
                                       "--campaign", "bulletin-nope"])
    assert missing.exit_code != 0 and "no mailing bulletin-nope" in str(missing.exception)
