"""The `sessions` and `report` commands end to end (CliRunner), and one-line errors from a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bulletin_tui.cli import app

from .ics_checks import parse_both

TEAMS = Path(__file__).parent.parent / "data" / "teams"


def test_session_life_cycle(cli, tmp_path):  # type: ignore[no-untyped-def]
    cli("sessions", "add", "csis-2027-03-25", "--title", "CSIS: scams", "--start", "2027-03-25 12:30",
        "--end", "13:30", "--capacity", "1", "--format", "hybrid", "--venue", "Oakwood House",
        "--link", "https://teams.microsoft.com/l/x", "--topic", "Fraud", "--topic", "Scams")
    assert "confirmed" in cli("sessions", "register", "csis-2027-03-25", "jo@example.org", "--mode", "in person")
    assert "waitlisted" in cli("sessions", "register", "csis-2027-03-25", "Al@example.org")
    assert "already registered" in cli("sessions", "register", "csis-2027-03-25", "AL@example.org")
    [row] = json.loads(cli("sessions", "list", "--json"))
    assert (row["slug"], row["status"], row["confirmed"], row["waitlisted"], row["topics"]) == (
        "csis-2027-03-25", "scheduled", 1, 1, ["Fraud", "Scams"])
    out = cli("sessions", "cancel-registration", "csis-2027-03-25", "jo@example.org")
    assert "promoted Al@example.org" in out and "withdrawn" in out
    out = cli("sessions", "edit", "csis-2027-03-25", "--start", "2027-03-26 10:00", "--end", "11:00")
    assert "SEQUENCE 1" in out and "update" in out
    outbox = sorted((cli.data_dir / "outbox").glob("*.eml"))
    assert len(outbox) == 5  # invite jo, waiting list al, cancel jo, invite al, update al
    assert "SEQUENCE 2" in cli("sessions", "edit", "csis-2027-03-25", "--end", "11:30")
    shown = cli("sessions", "show", "csis-2027-03-25")
    assert "Friday 26 March 2027, 10 am to 11.30 am" in shown and "1 confirmed of 1, 0 waiting, 1 cancelled" in shown
    assert "SEQUENCE 3" in cli("sessions", "edit", "csis-2027-03-25", "--start", "2027-03-29 09:00")
    assert "Monday 29 March 2027, 9 am to 10.30 am" in cli("sessions", "show", "csis-2027-03-25")
    ics = tmp_path / "session.ics"
    cli("sessions", "invite", "csis-2027-03-25", "--out", str(ics))
    published = parse_both(ics.read_bytes())
    assert (published.method, published.sequence, published.start_utc.hour) == ("PUBLISH", 3, 8)  # BST
    assert "1 cancellation(s)" in cli("sessions", "cancel", "csis-2027-03-25")
    assert json.loads(cli("sessions", "list", "--json"))[0]["status"] == "cancelled"


def test_no_send_queues_then_send_invites(cli):  # type: ignore[no-untyped-def]
    cli("sessions", "add", "s1", "--title", "T", "--start", "2027-05-06 12:30", "--end", "13:30")
    assert "queued" in cli("sessions", "register", "s1", "a@example.org", "--no-send")
    assert not (cli.data_dir / "outbox").exists() or not list((cli.data_dir / "outbox").glob("*.eml"))
    assert "pending" in cli("sessions", "mail", "s1")
    assert "1 message(s) processed" in cli("sessions", "send-invites", "--resend-uncertain")
    [mail] = json.loads(cli("sessions", "mail", "--json"))
    assert (mail["kind"], mail["outcome"]) == ("invite", "sent")
    assert "0 reminder(s) queued" in cli("sessions", "remind")


def test_import_registrations_and_attendance(cli, tmp_path):  # type: ignore[no-untyped-def]
    form = tmp_path / "form.csv"
    form.write_text("Full name,Email address\nAlex First,alex@kent.police.uk\nJo Bloggs,jo@medway.gov.uk\n",
                    encoding="utf-8")
    cli("sessions", "add", "s1", "--title", "T", "--start", "2027-01-07 12:30", "--end", "13:30")
    assert "Would register 2 confirmed" in cli("sessions", "import-registrations", "s1", str(form), "--dry-run")
    assert "Registered 2 confirmed" in cli("sessions", "import-registrations", "s1", str(form), "--no-send")
    cli("sessions", "import-attendance", "s1", str(TEAMS / "attendance-2026-utf16.csv"), code=1)  # not held yet
    cli("sessions", "attendance", "s1", "jo@medway.gov.uk", "--mark", "no-show", code=1)
    cli("sessions", "edit", "s1", "--start", "2026-11-20 12:30", "--end", "13:30", "--no-send")  # it was held
    out = cli("sessions", "import-attendance", "s1", str(TEAMS / "attendance-2026-utf16.csv"), "--min-minutes", "10")
    assert "1 attended, 1 no-shows, 1 too short" in out and "not registered: walkin@example.org" in out
    cli("sessions", "attendance", "s1", "jo@medway.gov.uk", "--mark", "attended")
    export = tmp_path / "attendance.csv"
    assert "Wrote 2 row(s)" in cli("sessions", "export-attendance", "s1", str(export))
    regs = json.loads(cli("sessions", "registrations", "s1", "--json"))
    assert [r["attended"] for r in regs] == [True, True]


def test_report_command(cli, tmp_path):  # type: ignore[no-untyped-def]
    cli("sessions", "add", "s1", "--title", "Lunchtime learning", "--start", "2024-06-20 12:30", "--end", "13:30")
    out = tmp_path / "update.md"
    cli("report", "--year", "2024/25", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "update for the partnership, 2024/25" in text and "| Thursday 20 June 2024 | Lunchtime learning |" in text
    assert "```text" in cli("report", "--year", "2024/25")


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_errors_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "sessions", "add", "s1", "--title", "T", "--start", "2027-01-07 12:30",
                   "--end", "13:30").returncode == 0
    before = (data_dir / "bulletin.json").read_bytes()
    for args, message in [
        (("sessions", "add", "s2", "--title", "T", "--start", "2026-03-29 01:30", "--end", "02:30"),
         "does not exist in London (clocks go forward); did you mean 02:30 BST?"),
        (("sessions", "add", "s2", "--title", "T", "--start", "2026-10-25 01:30", "--end", "01:50"),
         "add --fold first or --fold second"),
        (("sessions", "register", "s1", "not an address"), "not a valid e-mail address"),
    ]:
        result = run_cli(data_dir, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, (args, result.stderr)
    assert (data_dir / "bulletin.json").read_bytes() == before


def test_more_refusals_change_nothing(cli):  # type: ignore[no-untyped-def]
    cli("sessions", "add", "s1", "--title", "T", "--start", "2027-01-07 12:30", "--end", "13:30")
    before = (cli.data_dir / "bulletin.json").read_bytes()
    runner = CliRunner()
    for args, message in [
        (("sessions", "register", "nope", "a@example.org"), "no session 'nope'"),
        (("sessions", "edit", "s1", "--capacity", "0"), "capacity"),
        (("sessions", "cancel-registration", "s1", "ghost@example.org"), "not registered"),
        (("report", "--year", "2024"), "'2024' is not a financial year"),
    ]:
        result = runner.invoke(app, ["--data-dir", str(cli.data_dir), *args])
        assert result.exit_code != 0 and message in str(result.exception), (args, result.exception)
    assert (cli.data_dir / "bulletin.json").read_bytes() == before
