"""The CLI's one guard: errors a user can fix are one line and exit 1; a bug keeps its traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.cli import describe_failure
from bulletin_tui.commands.common import CliState
from tests.conftest import DEMO_SESSION, DEMO_YEAR

from .helpers import fingerprint, one_line_error, run_main


@pytest.mark.parametrize("args", [
    ("report", "--year", DEMO_YEAR, "--out", "MISSING/report.md"),
    ("sessions", "invite", DEMO_SESSION, "--out", "MISSING/invite.ics"),
    ("sessions", "export-attendance", DEMO_SESSION, "MISSING/attendance.csv"),
], ids=lambda args: args[0] + " " + args[1])
def test_an_output_file_in_a_missing_folder_is_one_line(data_dir: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    missing = tmp_path / "no-such-folder"
    before = fingerprint(data_dir)
    line = one_line_error(run_main(data_dir, *(a.replace("MISSING", str(missing)) for a in args)), str(missing))
    assert "does not exist" in line
    assert fingerprint(data_dir) == before and not missing.exists()


def test_a_lookup_error_without_a_damaged_record_stays_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CliState, "last_opened", None)
    assert describe_failure(KeyError("email")) is None, "a bug must keep its traceback"
    assert describe_failure(RuntimeError("boom")) is None
    assert describe_failure(FileNotFoundError(2, "No such file or directory", "/x/y")) == \
        "cannot use /x/y: No such file or directory"
