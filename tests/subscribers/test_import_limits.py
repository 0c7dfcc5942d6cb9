"""Every CSV import within its limits, through a real process: one line naming the file (and row), exit 1,
nothing changed. Subscriber imports, registration form exports and Teams attendance reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bulletin_tui.services.inputs.files import FORM_EXPORT, SUBSCRIBER_IMPORT

from .test_cli import run_cli


def refused(data_dir: Path, *args: str) -> str:
    """The one line a refused subscriber command prints (exit 1), the database unchanged."""
    database = data_dir / "bulletin.json"
    before = database.read_bytes()
    result = run_cli(data_dir, *args)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert database.read_bytes() == before
    return result.stderr


def test_a_subscriber_file_over_the_row_limit_is_refused_before_any_preview(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "add", "kept@example.org").returncode == 0
    rows = SUBSCRIBER_IMPORT.max_rows + 1
    many = tmp_path / "everyone.csv"
    with many.open("w", encoding="utf-8") as out:
        out.write("Email,Name\n")
        out.writelines(f"p{n}@example.org,P {n}\n" for n in range(rows))
    assert refused(data_dir, "import", str(many), "--dry-run") == (
        f"bulletin-tui: everyone.csv: row {rows + 1}: more than 200,000 rows; a subscriber import may have at "
        "most 200,000 (split the file)\n"
    )
    assert refused(data_dir, "import", str(many)).startswith("bulletin-tui: everyone.csv: row 200002: more than")


def test_a_subscriber_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "add", "kept@example.org").returncode == 0
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:  # sparse: 51 MB by its size, nothing written but the header
        out.write(b"Email\n")
        out.truncate(SUBSCRIBER_IMPORT.max_bytes + 1024 * 1024)
    assert refused(data_dir, "import", str(huge)) == (
        f"bulletin-tui: {huge} is 51.0 MB; a subscriber import may be at most 50.0 MB\n"
    )
    assert f"bulletin-tui: {os.devnull} is a device, not a file" in refused(data_dir, "import", os.devnull)


def sessions_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "sessions", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_registration_and_attendance_files_within_the_form_limits(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    def session_command(*args: str) -> subprocess.CompletedProcess[str]:
        return sessions_cli(data_dir, *args)

    assert session_command("add", "s1", "--title", "T", "--start", "2025-10-01 12:30", "--end", "13:30").returncode == 0
    rows = FORM_EXPORT.max_rows + 1
    form = tmp_path / "form.csv"
    form.write_text("Full name,Email address\n" + "".join(f"P {n},p{n}@example.org\n" for n in range(rows)))
    result = session_command("import-registrations", "s1", str(form), "--dry-run")
    assert result.returncode == 1 and result.stderr.splitlines() == [
        f"bulletin-tui: form.csv: row {rows + 1}: more than 50,000 rows; a form export may have at most 50,000 "
        "(split the file)"
    ]
    wide = tmp_path / "wide.csv"
    wide.write_text("Full name,Email address\nAnn," + "," * 300 + "ann@example.org\n")
    result = session_command("import-registrations", "s1", str(wide), "--dry-run")
    assert result.returncode == 1 and "wide.csv: row 2: more than 200 columns" in result.stderr
    report = tmp_path / "attendance.csv"
    report.write_text("Name,Email,Duration\n" + "".join(f"P {n},p{n}@example.org,10m\n" for n in range(rows)))
    result = session_command("import-attendance", "s1", str(report))
    assert result.returncode == 1 and result.stderr.splitlines() == [
        f"bulletin-tui: attendance.csv: {rows + 1:,} lines; an attendance report may have at most 50,000 "
        "(split the file)"
    ]
