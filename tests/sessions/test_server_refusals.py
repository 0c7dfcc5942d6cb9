"""Session mail follows the send engine's rules (#11 item 6): a relay refusing everyone the same way pauses
delivery (exit 4), fails nobody, and the messages stay queued for the next `send-invites`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.ledger import read_records
from bulletin_tui.services.mailings.session_delivery import LEDGER_NAME
from tests.sending.smtp_server import threaded_server

PEOPLE = [f"p{n}@example.org" for n in range(8)]


def test_relaying_denied_for_every_invite_pauses_and_keeps_them_queued(cli, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    cli("sessions", "add", "s1", "--title", "T", "--start", "2027-05-06 12:30", "--end", "13:30")
    for address in PEOPLE:
        cli("sessions", "register", "s1", address, "--no-send")
    with threaded_server() as server:
        for address in PEOPLE:
            server.script.rcpt[address] = ["550 Relaying denied"]
        for name, value in (("HOST", "127.0.0.1"), ("PORT", str(server.port)), ("SECURITY", "none")):
            monkeypatch.setenv(f"BULLETIN_SMTP__{name}", value)
        monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_MINUTE", "0")
        paused = CliRunner().invoke(app, ["--data-dir", str(cli.data_dir), "sessions", "send-invites"])
        assert paused.exit_code == 4, paused.output
        assert 'Paused: server or account problem, not bounces: 5 recipients in a row refused with ' \
               '"550 Relaying denied (rcpt)"' in paused.stderr
        outcomes = [m["outcome"] for m in json.loads(cli("sessions", "mail", "--json"))]
        assert outcomes == ["pending"] * 8 and server.messages == []
        server.script.rcpt.clear()
        assert "8 message(s) processed" in cli("sessions", "send-invites")
    assert sorted(server.handler.by_recipient()) == PEOPLE and set(server.handler.by_recipient().values()) == {1}
    states = [r["state"] for r in read_records(ledger_dir(cli.data_dir) / LEDGER_NAME) if "state" in r]
    assert "queued" in states and states.count("sent") == 8
