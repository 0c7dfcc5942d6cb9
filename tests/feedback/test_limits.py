"""`feedback import` within limits: a crafted workbook is refused before it is unpacked or held in memory (a real
process, its time and peak memory measured), a CSV over the row limit is refused naming the row, nothing is stored."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bulletin_tui.services.inputs.files import FORM_EXPORT

from .test_cli import SLUG, add_training
from .xlsx_bombs import blank_space, far_row, wide_rows, write_workbook

ROOT = Path(__file__).resolve().parents[2]


def measured(data_dir: Path, *args: str) -> tuple[int, str, float, float]:
    """Exit code, stderr, seconds and peak memory (MB) of the CLI in a real process, capped at 2 GB and a minute of
    CPU so that a regression fails here instead of taking the machine's memory."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    err = data_dir.parent / "stderr.txt"
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    started = time.monotonic()
    with err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
            stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=ROOT, preexec_fn=cap,
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, err.read_text(), time.monotonic() - started, usage.ru_maxrss / 1024


def responses(cli) -> int:  # type: ignore[no-untyped-def]
    return int(json.loads(cli("feedback", "summary", SLUG, "--json"))[0]["responses"])


def test_a_workbook_of_rows_reaching_the_last_column_is_refused_at_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    bomb = write_workbook(tmp_path / "answers.xlsx", wide_rows(20_000))
    assert bomb.stat().st_size < 250_000
    code, stderr, seconds, peak_mb = measured(cli.data_dir, "feedback", "import", SLUG, str(bomb), "--keep-names")
    assert code == 1 and stderr.splitlines() == [
        "bulletin-tui: answers.xlsx: row 2: more than 200 columns; a form export may have at most 200"
    ]
    # Measured on a shared 2-core machine: about 1 s and 60 MB for the whole CLI process (before: 2.4 GB, then
    # MemoryError after 13 s).
    assert seconds < 15 and peak_mb < 250, (seconds, peak_mb)
    assert responses(cli) == 0


def test_a_workbook_that_unpacks_a_thousand_times_its_size_is_refused_unopened(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    bomb = write_workbook(tmp_path / "spaces.xlsx", blank_space(20))
    code, stderr, seconds, peak_mb = measured(cli.data_dir, "feedback", "import", SLUG, str(bomb))
    assert code == 1 and stderr.count("\n") == 1, stderr
    assert "spaces.xlsx: xl/worksheets/sheet1.xml unpacks to " in stderr and "times its size (at most 100)" in stderr
    assert seconds < 15 and peak_mb < 250, (seconds, peak_mb)
    big = write_workbook(tmp_path / "huge.xlsx", blank_space(60))
    code, stderr, _, _ = measured(cli.data_dir, "feedback", "import", SLUG, str(big))
    assert code == 1 and "huge.xlsx: the workbook unpacks to 60.0 MB; at most 50.0 MB" in stderr


def test_an_answer_past_excels_last_row_is_refused_without_counting_to_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    far = write_workbook(tmp_path / "far.xlsx", far_row(999_999_999))
    code, stderr, seconds, _ = measured(cli.data_dir, "feedback", "import", SLUG, str(far))
    assert code == 1 and "far.xlsx: row 1048577: the sheet spreads further than a form export may" in stderr
    assert seconds < 15


def test_a_workbook_one_row_over_the_limit_is_refused_naming_the_row(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    last = FORM_EXPORT.max_rows + 2  # the header is row 1
    over = write_workbook(tmp_path / "over.xlsx", far_row(last))
    code, stderr, _, _ = measured(cli.data_dir, "feedback", "import", SLUG, str(over))
    assert code == 1 and f"over.xlsx: row {last}: more than 50,000 rows" in stderr


def test_a_csv_over_the_row_limit_is_refused_naming_the_row(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    path, rows = tmp_path / "many.csv", FORM_EXPORT.max_rows + 1
    lines = ["Email,How would you rate the delivery?"] + [f"p{n}@example.org,Good" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stderr, _, _ = measured(cli.data_dir, "feedback", "import", SLUG, str(path))
    assert code == 1 and stderr.splitlines() == [
        f"bulletin-tui: many.csv: row {rows + 1}: more than 50,000 rows; a form export may have at most 50,000 "
        "(split the file)"
    ]
    assert responses(cli) == 0
