"""`sessions materials` and `sessions follow-up` end to end: the CLI for real, then a SIGKILL of a real sending
process part-way through and a rerun: every attendee gets the follow-up exactly once at the SMTP server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.services.sessions import attendance, catalogue, registrations
from bulletin_tui.services.sessions.followup import MaterialsChange, set_materials

from ..sending.smtp_server import running_server
from .followup_support import FEEDBACK, SLIDES, pdf_bytes

ROOT = Path(__file__).resolve().parents[2]
PAST = ("2025-10-01 12:30", "13:30")  # over by any clock these tests run under


def past_session(cli, slug: str = "s1") -> None:  # type: ignore[no-untyped-def]
    cli("sessions", "add", slug, "--title", "CSIS: Tackling scams", "--start", PAST[0], "--end", PAST[1])
    for email in ("ann@example.org", "bob@example.org", "cat@example.org", "dan@example.org"):
        cli("sessions", "register", slug, email, "--no-send")
    cli("sessions", "register", slug, "eve@example.org", "--no-send")
    cli("sessions", "cancel-registration", slug, "eve@example.org", "--no-send")


def failing(data_dir: Path, *args: str) -> str:
    """Run a command that must fail; its error (printed, or raised for `main()` to print as one line)."""
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    assert result.exit_code != 0, result.output
    return result.stderr + str(result.exception or "")


def one_line_error(data_dir: Path, *args: str) -> str:
    """A real process: exit 1 and exactly one line on stderr, which is returned."""
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_materials_show_set_refuse_detach_and_clear(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    assert "No materials set for s1 yet" in cli("sessions", "materials", "s1")
    pack, big, fake = tmp_path / "pack.pdf", tmp_path / "big.pdf", tmp_path / "notes.pdf"
    pack.write_bytes(pdf_bytes(pad=2000))
    big.write_bytes(pdf_bytes(pad=6 * 1024 * 1024 - 600))
    fake.write_bytes(b"PK\x03\x04 a zip file, named .pdf")
    assert f"{big} is 6.0 MB; an attachment may be at most 5.0 MB" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--slides", SLIDES, "--attach", str(big)
    )
    assert f"{fake} is not a PDF" in failing(cli.data_dir, "sessions", "materials", "s1", "--attach", str(fake))
    assert "feedback link: must start with https:// or http://" in failing(
        cli.data_dir, "sessions", "materials", "s1", "--feedback", "mailto:team@kent.gov.uk"
    )
    assert "slides link ftp://example.org/s.pdf: must start with https:// or http://" in failing(
        cli.data_dir, "sessions", "materials", "s1", "--slides", "ftp://example.org/s.pdf", "--attach", str(pack)
    )
    assert json.loads(cli("sessions", "materials", "s1", "--json"))["links"] == []  # nothing stored
    assert not (cli.data_dir / "followup-files").exists() or not list((cli.data_dir / "followup-files").iterdir())
    out = cli(
        "sessions",
        "materials",
        "s1",
        "--slides",
        SLIDES,
        "--feedback",
        FEEDBACK,
        "--attach",
        str(pack),
        "--other",
        "https://example.org/scams-advice",
        "--other-label",
        "Scams advice",
    )
    assert f"Slides from the session: {SLIDES}" in out and "Attached: pack.pdf (2 KB" in out
    assert "Scams advice: https://example.org/scams-advice" in out
    cli("sessions", "materials", "s1", "--slides", "", "--note", "Thank you all.")
    shown = json.loads(cli("sessions", "materials", "s1", "--json"))
    assert [link["kind"] for link in shown["links"]] == ["other"] and shown["note"] == "Thank you all."
    assert shown["feedback_url"] == FEEDBACK and [a["filename"] for a in shown["attachments"]] == ["pack.pdf"]
    cli("sessions", "materials", "s1", "--detach", "pack.pdf")
    assert not list((cli.data_dir / "followup-files").glob("*.pdf"))
    assert "Cleared the materials of s1" in cli("sessions", "materials", "s1", "--clear")
    assert "No materials set" in cli("sessions", "materials", "s1")


def test_follow_up_refusals_confirmation_dry_run_and_no_shows(cli) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    assert "attendance for 's1' is not recorded yet" in failing(cli.data_dir, "sessions", "follow-up", "s1", "--yes")
    for email, mark in (
        ("ann@example.org", "attended"),
        ("bob@example.org", "attended"),
        ("cat@example.org", "no-show"),
    ):
        cli("sessions", "attendance", "s1", email, "--mark", mark)
    assert "no materials set for 's1'" in failing(cli.data_dir, "sessions", "follow-up", "s1", "--yes")
    cli("sessions", "materials", "s1", "--slides", SLIDES, "--feedback", FEEDBACK)
    assert "confirm with --yes" in failing(cli.data_dir, "sessions", "follow-up", "s1")
    assert "Test message sent to me@example.org" in cli("sessions", "follow-up", "s1", "--test-to", "me@example.org")
    [test_copy] = list((cli.data_dir / "outbox").glob("*.eml"))
    assert b"Subject: [TEST] Thank you for attending: CSIS: Tackling scams" in test_copy.read_bytes()
    test_copy.unlink()
    assert not (cli.data_dir / "ledgers").exists() or not list((cli.data_dir / "ledgers").glob("followup-*"))
    dry = cli("sessions", "follow-up", "s1", "--dry-run")
    assert "2 attended, 1 registered but did not attend, 1 with attendance not recorded (left out)" in dry
    assert "  ann@example.org" in dry and "  bob@example.org" in dry and "cat@example.org" not in dry
    out = cli("sessions", "follow-up", "s1", "--yes")
    assert "Follow-up to attendees complete (2 sent of 2); mailing followup-s1" in out
    again = cli("sessions", "follow-up", "s1", "--yes")
    assert "started before (2 sent); it will be continued, 0 still to send" in again
    outbox = sorted(p.name for p in (cli.data_dir / "outbox").glob("*.eml"))
    assert sorted(name.split("-", 1)[1] for name in outbox) == ["ann@example.org.eml", "bob@example.org.eml"]
    out = cli("sessions", "follow-up", "s1", "--no-shows", "--yes")
    assert "Follow-up to no-shows complete (1 sent of 1); mailing followup-s1-noshows" in out
    assert len(list((cli.data_dir / "outbox").glob("*.eml"))) == 3
    both = cli("sessions", "follow-up", "s1", "--both", "--yes")
    assert "Nothing to send to the attendees." in both and "Nothing to send to the no-shows." in both
    assert len(list((cli.data_dir / "outbox").glob("*.eml"))) == 3
    assert "choose one" in failing(cli.data_dir, "sessions", "follow-up", "s1", "--no-shows", "--both")


def prepare_many(data_dir: Path, attendees: int, pdf: Path) -> list[str]:
    """A past session with `attendees` people marked attended and two no-shows, materials with a PDF."""
    with open_context(Settings(data_dir=data_dir), create=True) as ctx:
        start, end = catalogue.parse_times(*PAST)
        catalogue.create_session(ctx, slug="cpd-asb", title="ASB Tools and Powers CPD", start=start, end=end)
        people = [f"p{n:03d}@example.org" for n in range(attendees)]
        for email in [*people, "gone1@example.org", "gone2@example.org"]:
            registrations.register(ctx, "cpd-asb", email)
        for email in people:
            attendance.mark_attendance(ctx, "cpd-asb", email, True)
        for email in ("gone1@example.org", "gone2@example.org"):
            attendance.mark_attendance(ctx, "cpd-asb", email, False)
        set_materials(ctx, "cpd-asb", MaterialsChange(feedback_url=FEEDBACK, attach=[pdf]))
    return people


async def run_follow_up(data_dir: Path, port: int) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BULLETIN_CONFIG": str(data_dir.parent / "none.toml"),
        "BULLETIN_SMTP__HOST": "127.0.0.1",
        "BULLETIN_SMTP__PORT": str(port),
        "BULLETIN_SMTP__SECURITY": "none",
        "BULLETIN_LIMITS__RATE_PER_MINUTE": "0",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bulletin_tui",
        "--data-dir",
        str(data_dir),
        "sessions",
        "follow-up",
        "cpd-asb",
        "--yes",
        "--concurrency",
        "1",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigkill_mid_run_then_rerun_every_attendee_exactly_once(tmp_path: Path) -> None:
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pdf_bytes(pad=50_000))
    data_dir = tmp_path / "data"
    people = prepare_many(data_dir, 40, pdf)
    async with running_server() as server:
        child = await run_follow_up(data_dir, server.port)

        def kill_sender(received: object) -> None:
            if len(server.messages) == 15:  # the server has the 15th message; its 250 never arrives
                os.kill(child.pid, signal.SIGKILL)

        server.script.on_message = kill_sender
        assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
        server.script.on_message = None
        assert len(server.messages) == 15
        rerun = await run_follow_up(data_dir, server.port)
        stdout, stderr = await asyncio.wait_for(rerun.communicate(), 60)
    assert rerun.returncode == 3, stderr  # complete, one outcome unknown (never resent automatically)
    assert "1 uncertain" in stdout.decode() and "39 sent" in stdout.decode()
    counts = server.handler.by_recipient()
    assert sorted(counts) == people and set(counts.values()) == {1}
    for received in server.messages:
        [attached] = list(received.parsed().iter_attachments())
        assert attached.get_content() == pdf.read_bytes()
