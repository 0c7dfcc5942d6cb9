"""The bulletin CLI end to end: new, add-item, list --json, check (exit 1), render --out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.rendering.footer import PRIVACY_NOTICE_MISSING

runner = CliRunner()


def run(data: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data-dir", str(data), "--create", *args], catch_exceptions=False)


def test_assemble_check_and_render(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "bulletin", "new", "2024-06", "--title", "June 2024").exit_code == 0
    added = run(data, "bulletin", "add-item", "2024-06", "--title", "Euro 2024", "--category", "campaign",
                "--summary", "Safety messages for **Euro 2024**.", "--link", "https://www.kent.police.uk/euro2024")
    assert added.exit_code == 0 and "euro-2024" in added.output
    listed = json.loads(run(data, "bulletin", "list", "--json").stdout)
    assert listed[0] | {"ready_at": None} == {"slug": "2024-06", "title": "June 2024", "status": "draft", "items": 1,
                                              "ready_at": None, "sent_at": None}
    assert run(data, "bulletin", "check", "2024-06").exit_code == 0
    rendered = run(data, "bulletin", "render", "2024-06", "--out", str(tmp_path / "out"))
    assert rendered.exit_code == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"issue.html", "issue.txt", "archive.html", "sample.eml"}
    assert "Euro 2024" in (tmp_path / "out/archive.html").read_text()


def test_check_failures_exit_1_one_line_each(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "bulletin", "new", "2024-07")
    run(data, "bulletin", "add-item", "2024-07", "--title", "Grant", "--category", "funding", "--closes", "01/01/2020")
    result = run(data, "bulletin", "check", "2024-07")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == ["error: item 'grant' (Grant): closing date 01/01/2020 has passed [past-closing]",
                     "error: item 'grant' (Grant): has no link for readers to follow [missing-link]",
                     "warning: sender.archive_url is not set, so the 'view online' link is left out [view-online]",
                     f"warning: {PRIVACY_NOTICE_MISSING} [privacy-notice]"]
    assert "2 failing, 2 warning(s)" in result.stderr


def test_edit_move_remove_backlog(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "bulletin", "new", "2024-08")
    for title in ("One", "Two"):
        run(data, "bulletin", "add-item", "2024-08", "--title", title, "--category", "news")
    assert run(data, "bulletin", "move-item", "2024-08", "two", "1").exit_code == 0
    assert run(data, "bulletin", "edit-item", "one", "--restricted", "--link", "https://e.org").exit_code == 0
    shown = run(data, "bulletin", "show", "2024-08").stdout
    assert shown.index("two") < shown.index("one") and "[restricted]" in shown
    assert run(data, "bulletin", "edit", "2024-08", "--title", "August", "--intro", "Hello *all*").exit_code == 0
    assert json.loads(run(data, "bulletin", "list", "--json").stdout)[0]["title"] == "August"
    assert run(data, "bulletin", "remove-item", "2024-08", "one").exit_code == 0
    assert "one" in run(data, "bulletin", "backlog").stdout


def test_errors_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "bulletin", "new", "2024-09")
    before = (data / "bulletin.json").read_bytes() if (data / "bulletin.json").exists() else None
    result = subprocess.run(
        [sys.executable, "-c", "from bulletin_tui.cli import main; main()", "--data-dir", str(data), "bulletin",
         "add-item", "2024-09", "--title", "X", "--category", "news", "--link", "javascript:alert(1)"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "link" in result.stderr
    after = (data / "bulletin.json").read_bytes() if (data / "bulletin.json").exists() else None
    assert before == after
