"""`bulletin-tui send` and `campaigns` end to end on demo data (outbox transport), exit codes included."""

from __future__ import annotations

import csv
import email
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.domain.errors import DomainError
from tests.conftest import DEMO_ISSUE, CliRun

from .smtp_server import threaded_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"


@pytest.fixture
def cli(cli: CliRun) -> CliRun:
    cli("demo")
    return cli


def outbox(cli) -> list[Path]:  # type: ignore[no-untyped-def]
    return sorted((cli.data_dir / "outbox").glob("*.eml"))


def test_send_to_outbox_then_resume_is_a_no_op(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0")
    assert "Mailing complete (240 sent of 240)" in out and len(outbox(cli)) == 240
    out = cli("send", ISSUE, "--list", LIST, "--resume", "--rate-per-minute", "0")
    assert "Mailing complete (240 sent of 240)" in out and len(outbox(cli)) == 240
    [listed] = json.loads(cli("mailings", "list", "--json"))
    assert listed["slug"] == f"bulletin-{ISSUE}-{LIST}" and listed["counts"] == {"sent": 240}
    issues = {i["slug"]: i["status"] for i in json.loads(cli("bulletin", "list", "--json"))}
    assert issues[ISSUE] == "sent"
    export = cli.data_dir.parent / "ledger.csv"
    cli("mailings", "export", listed["slug"], str(export))
    rows = list(csv.DictReader(export.open()))
    assert sum(1 for r in rows if r["state"] == "sent") == 240


def test_starting_twice_and_failing_checks_are_refused(cli) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    failing = runner.invoke(app, ["--data-dir", str(cli.data_dir), "send", ISSUE, "--list", LIST])
    assert isinstance(failing.exception, DomainError) and "pre-send check" in str(failing.exception)
    assert outbox(cli) == []
    cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0")
    again = runner.invoke(app, ["--data-dir", str(cli.data_dir), "send", ISSUE, "--list", LIST, "--force"])
    assert isinstance(again.exception, DomainError) and "--resume" in str(again.exception)


def test_daily_limit_pauses_with_exit_code_4_over_smtp(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore
    monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_DAY", "50")
    with threaded_server() as server:
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        out = cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0", *smtp, code=4)
        assert "Mailing paused: daily sending limit reached" in out and len(server.messages) == 50
        queued = cli("mailings", "show", f"bulletin-{ISSUE}-{LIST}", "--state", "queued")
        assert len(queued.strip().splitlines()) == 1 + 190
        cli("send", ISSUE, "--list", LIST, "--resume", *smtp, code=4)
        assert len(server.messages) == 50 and set(server.handler.by_recipient().values()) == {1}
    assert outbox(cli) == []


def test_outbox_is_not_rate_limited(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore
    monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_DAY", "50")
    monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_MINUTE", "30")
    assert "Mailing complete (240 sent of 240)" in cli("send", ISSUE, "--list", LIST, "--force")
    assert len(outbox(cli)) == 240


def test_test_send_writes_one_message(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("send", ISSUE, "--list", LIST, "--test-to", "operator@kent.gov.uk")
    assert out.startswith("Test message (general) sent to operator@kent.gov.uk: 250")
    assert [p.name for p in outbox(cli)] == ["000001-operator@kent.gov.uk.eml"]
    assert json.loads(cli("mailings", "list", "--json")) == []


def test_a_test_send_to_general_and_restricted_lists_sends_one_copy_per_variant(cli) -> None:  # type: ignore
    out = cli("send", ISSUE, "--list", LIST, "--list", "partnership-restricted", "--test-to", "me@kent.gov.uk")
    assert "Test message (general) sent to me@kent.gov.uk" in out and "(restricted) sent to me@kent.gov.uk" in out
    subjects = sorted(email.message_from_bytes(p.read_bytes())["Subject"] for p in outbox(cli))
    assert [s.split("]")[0] for s in subjects] == ["[TEST general", "[TEST restricted"]


def test_a_test_send_after_an_erasure_never_writes_over_a_campaign_message(cli) -> None:  # type: ignore
    cli("send", ISSUE, "--list", "partnership-restricted", "--force", "--rate-per-minute", "0")
    before = {p.name: p.read_bytes() for p in outbox(cli)}
    erased = sorted(before)[0].split("-", 1)[1].removesuffix(".eml")
    assert "outbox messages removed: 1" in cli("subscribers", "erase", erased, "--yes")
    out = cli("send", ISSUE, "--list", LIST, "--test-to", "operator@kent.gov.uk")
    assert "written to 000086-operator@kent.gov.uk.eml" in out
    after = {p.name: p.read_bytes() for p in outbox(cli)}
    assert all(after[name] == data for name, data in before.items() if erased not in name)
