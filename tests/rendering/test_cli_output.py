"""What a person sees in a terminal: findings wrapped at word boundaries, summaries on lines of their own, and
flags in --help without a `<bool>` type."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bulletin_tui.cli import app

LONG_TITLE = "Police, Crime, Sentencing and Courts Act 2022: Serious Violence Duty guidance for partners"


def _in_terminal(data: Path, *args: str, columns: int = 80) -> str:
    """Run the CLI with stdout and stderr on one pseudo-terminal of `columns` columns; what it showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "PYTHONPATH": str(Path.cwd())}
    process = subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), *args],
                               stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def _issue(cli) -> None:
    cli("bulletin", "new", "2026-12")
    cli("bulletin", "add-item", "2026-12", "--title", LONG_TITLE, "--category", "legislation")


def test_check_findings_wrap_at_word_boundaries_in_a_terminal(cli):
    _issue(cli)
    shown = _in_terminal(cli.data_dir, "bulletin", "check", "2026-12", columns=80)
    lines = [line for line in shown.splitlines() if line]
    assert all(len(line) < 80 for line in lines), lines
    finding = next(n for n, line in enumerate(lines) if line.startswith("error: item 'police-"))
    assert lines[finding + 1].startswith("    ")  # continued, indented
    words = re.sub(r"\s+", " ", " ".join(lines))
    assert LONG_TITLE in words and "has no link for readers to follow [missing-link]" in words
    assert re.search(r"^\d+ failing, \d+ warning\(s\)$", shown, re.MULTILINE)
    piped = cli("bulletin", "check", "2026-12", code=1)  # not a terminal: one line per finding, for scripts
    assert re.search(rf"^error: item 'police-[a-z0-9-]+' \({re.escape(LONG_TITLE)}\): has no link for readers to "
                     r"follow \[missing-link\]$", piped, re.MULTILINE)


def test_render_prints_the_html_size_on_a_line_of_its_own(cli, tmp_path):
    _issue(cli)
    shown = _in_terminal(cli.data_dir, "bulletin", "render", "2026-12", "--out", str(tmp_path / "out"))
    assert re.search(r"^HTML size: \d+\.\d KB \(Gmail clips messages over 102 KB\)$", shown, re.MULTILINE), shown
    assert re.search(r"^\S*issue\.html$", shown, re.MULTILINE)


def test_flags_show_no_value_type_in_help():
    runner = CliRunner()
    for command in (["bulletin", "add-item"], ["bulletin", "edit-item"], ["sessions", "edit"], ["send"],
                    ["subscribers", "import"], ["sessions", "list"]):
        shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"}).stdout
        assert "<bool>" not in shown, command
        assert "--help" in shown
    add_item = runner.invoke(app, ["bulletin", "add-item", "--help"], env={"COLUMNS": "120"}).stdout
    assert re.search(r"--restricted\s+│", add_item) or re.search(r"--restricted\s{2,}\S", add_item)
