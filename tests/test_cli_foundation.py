"""The CLI skeleton: demo is idempotent, list --json, one-line errors, a second writer refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    first = run(data_dir, "demo")
    assert first.returncode == 0, first.stderr
    assert "240 subscribers" in first.stdout
    return data_dir


def test_demo_is_idempotent(demo_dir: Path) -> None:
    before = (demo_dir / "bulletin.json").read_bytes()
    again = run(demo_dir, "demo")
    assert again.returncode == 0 and "0 subscribers" in again.stdout
    assert json.loads((demo_dir / "bulletin.json").read_bytes()) == json.loads(before)


def test_list_json_has_slug_title_status(demo_dir: Path) -> None:
    for command in (["bulletin", "list", "--json"], ["sessions", "list", "--json"]):
        result = run(demo_dir, *command)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
        assert rows and all({"slug", "title", "status"} <= set(row) for row in rows)


def test_demo_never_presents_an_invented_time_or_link_as_fact(demo_dir: Path) -> None:
    data = json.loads((demo_dir / "bulletin.json").read_bytes())
    assert all("Placeholder time" in s["description"] for s in data["sessions"].values())
    links = {i["link"] for i in data["items"].values() if i["link"]}
    assert links <= {"https://www.amparo.org.uk/refer/", "https://www.kent.gov.uk/knowyourscore"}
    assert all(s["email"].split("@")[1].endswith(("example.org", "example.com", "example.net"))
               for s in data["subscribers"].values())


def test_errors_are_one_line_and_change_nothing(demo_dir: Path) -> None:
    before = (demo_dir / "bulletin.json").read_bytes()
    result = run(demo_dir, "sessions", "add", "dst", "--title", "T", "--start", "2026-03-29 01:15", "--end", "02:30")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "does not exist in London" in result.stderr
    assert (demo_dir / "bulletin.json").read_bytes() == before


def test_a_writing_command_works_beside_a_process_that_has_the_folder_open(demo_dir: Path) -> None:
    """#24: an open app (here a process holding the database open) no longer refuses every other writer."""
    code = ("import sys,time; from pathlib import Path; from bulletin_tui.storage import Database; "
            "db = Database.open(Path(sys.argv[1])); print('ok', flush=True); sys.stdin.readline(); "
            "print(db.refresh(), sorted(db.table('issues')._read_table()), flush=True)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(demo_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ok"
        result = run(demo_dir, "bulletin", "new", "2099-01")
        assert result.returncode == 0, result.stderr
        holder.stdin.write("\n")
        holder.stdin.flush()
        refreshed = holder.stdout.readline()
        assert refreshed.startswith("True") and "'2099-01'" in refreshed, "the open process sees the new issue"
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(("old", "new"), [("calendar", "awareness"), ("campaigns", "mailings")])
def test_a_renamed_group_answers_to_its_old_name_for_one_release(demo_dir: Path, old: str, new: str) -> None:
    """#26: groups named after their modules ("campaign" now means only an awareness campaign); the old names stay
    hidden aliases that do the same and say the new name on stderr."""
    renamed, aliased = run(demo_dir, new, "list", "--json"), run(demo_dir, old, "list", "--json")
    assert renamed.returncode == aliased.returncode == 0, aliased.stderr
    assert json.loads(aliased.stdout) == json.loads(renamed.stdout) and renamed.stderr == ""
    assert aliased.stderr.strip() == f"bulletin-tui: `{old}` is now `{new}`; the old name goes in the next release"
    listed = [line.split()[1] for line in run(demo_dir, "--help").stdout.splitlines() if line.startswith("│ ")]
    assert new in listed and old not in listed
