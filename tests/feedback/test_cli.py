"""`bulletin-tui feedback ...` end to end: import (dry run, twice, --map, --save-mapping), summary (text and JSON),
mapping show/clear; a bad answer is one line on stderr from a real process, exit 1, nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import FORMS_CSV

SLUG = "asb-cpd-2022-02-28"


def add_training(cli, slug: str = SLUG, start: str = "2022-02-28 09:30") -> None:  # type: ignore[no-untyped-def]
    cli(
        "sessions",
        "add",
        slug,
        "--title",
        "ASB Tools & Powers CPD",
        "--start",
        start,
        "--end",
        "16:30",
        "--kind",
        "training",
    )


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a real process (its one-line error handling is in `main`)."""
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run(
        [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_import_twice_summary_and_mapping(cli) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    out = cli("feedback", "import", SLUG, str(FORMS_CSV), "--dry-run", "--save-mapping")
    assert "Column mapping (guessed from the headers):" in out and "-> rated: delivery" in out
    assert "Would add 8 response(s)" in out and "Would save this mapping for training sessions." in out
    assert json.loads(cli("feedback", "summary", SLUG, "--json"))[0]["responses"] == 0
    out = cli("feedback", "import", SLUG, str(FORMS_CSV), "--save-mapping")
    assert "Added 8 response(s)" in out and "names and e-mail addresses not kept" in out
    assert "Saved this mapping for training sessions." in out
    out = cli("feedback", "import", SLUG, str(FORMS_CSV))
    assert "Column mapping (saved for training):" in out and "Added 0 response(s)" in out
    assert "8 imported before" in out
    text = cli("feedback", "summary", SLUG)
    # delivery 8/8; content 7/8 = 87.5 -> 88 %; venue 5/8 = 62.5 -> 63 % (half up, as the papers round)
    assert (
        "8 questionnaire responses; 100 % rated delivery good or excellent, 88 % rated content good or "
        "excellent, 63 % rated venue good or excellent" in text
    )
    assert "Response rate: attendance not recorded" in text
    assert "venue: 63 % good or excellent of 8 (Excellent 1, Good 4, Average 1, Poor 1, Very poor 1)" in text
    [row] = json.loads(cli("feedback", "summary", SLUG, "--json"))
    assert (row["slug"], row["status"], row["responses"], row["comments"]) == (SLUG, "delivered", 8, 4)
    assert row["questions"][0] == {
        "label": "delivery",
        "answered": 8,
        "good_or_excellent": 8,
        "good_or_excellent_percent": 100,
        "distribution": {"Excellent": 5, "Good": 3},
    }
    assert "How would you rate the venue?" in cli("feedback", "mapping", "TRAINING")
    assert "Cleared the mapping for training." in cli("feedback", "mapping", "training", "--clear")
    assert "No mapping is saved for training" in cli("feedback", "mapping", "training")


def test_map_overrides_and_a_response_rate(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    for n in range(10):
        cli("sessions", "register", SLUG, f"p{n}@example.org", "--no-send")
        cli("sessions", "attendance", SLUG, f"p{n}@example.org", "--mark", "attended")
    out = cli(
        "feedback",
        "import",
        SLUG,
        str(FORMS_CSV),
        "--map",
        "How would you rate the venue?=ignore",
        "--map",
        "How would you rate the content?=materials",
        "--keep-names",
    )
    assert "-> rated: materials" in out and "names and e-mail addresses kept" in out
    text = cli("feedback", "summary", SLUG)
    assert "Response rate: 80 % of 10 attendees" in text and "venue" not in text  # 8/10


def test_unknown_answer_is_one_line_and_nothing_is_stored(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(FORMS_CSV.read_bytes().replace(b"Average,Good,\r\n6", b"Meh,Good,\r\n6"))
    result = run(cli.data_dir, "feedback", "import", SLUG, str(bad), "--save-mapping")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "bulletin-tui: bad.csv: row 6, column G 'How would you rate the content?': 'Meh' is not a rating this tool "
        "knows (words such as Excellent, Good, Poor or Strongly agree, or a number on a 1-5 or 1-10 scale); "
        "nothing was imported"
    ]
    assert json.loads(cli("feedback", "summary", SLUG, "--json"))[0]["responses"] == 0
    assert "No mapping is saved" in cli("feedback", "mapping", "training")
    wrong_kind = run(cli.data_dir, "feedback", "mapping", "seminar")
    assert (wrong_kind.returncode, wrong_kind.stderr.count("\n")) == (1, 1)
    assert "'seminar' is not a session kind (CSIS, DHR learning webinar, training," in wrong_kind.stderr


def test_remove_a_wrong_import_after_confirmation(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    cli("feedback", "import", SLUG, str(FORMS_CSV))
    other = tmp_path / "other.csv"
    other.write_text("ID,Rate the trainer\n99,Good\n", encoding="utf-8")
    cli("feedback", "import", SLUG, str(other), "--map", "Rate the trainer=delivery")
    assert "This cannot be undone" in cli("feedback", "remove", SLUG, "--file", "other.csv", stdin="n\n", code=1)
    assert json.loads(cli("feedback", "summary", SLUG, "--json"))[0]["responses"] == 9
    assert "Removed 1 response(s)" in cli("feedback", "remove", SLUG, "--file", "other.csv", stdin="y\n")
    assert json.loads(cli("feedback", "summary", SLUG, "--json"))[0]["responses"] == 8
    assert "Removed 8 response(s)" in cli("feedback", "remove", SLUG, "--yes")
    assert "No responses to remove" in cli("feedback", "remove", SLUG, "--yes")
