"""Issue #11 items 1 and 15: a file the user names is never inside the data folder, and is written atomically, 0600.

Every command that writes a named file is driven through the CLI as a user would; a refusal must leave every file
of the data folder byte-identical and write nothing.
"""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.storage.errors import OutputRefusedError, StorageWriteError
from bulletin_tui.storage.outputs import check_output_folder, write_output
from tests.conftest import DEMO_ISSUE, DEMO_SESSION, CliRun

ISSUE, LIST, SESSION = DEMO_ISSUE, "partnership-restricted", DEMO_SESSION
CAMPAIGN = f"bulletin-{ISSUE}-{LIST}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data folder with one campaign sent to the outbox, shared (read-only) by the refusal tests."""
    root = tmp_path_factory.mktemp("seeded")
    env = {**os.environ, "BULLETIN_CONFIG": str(root / "none.toml")}
    for args in (["demo"], ["send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0"]):
        subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(root / "data"), *args],
                       check=True, capture_output=True, env=env, timeout=120)
    return root / "data"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "bulletin.lock"}


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=60)


WRITERS = [
    ("subscribers", "export", "{target}"),
    ("subscribers", "show-data", "aisha.example106@fire.example.org", "--out", "{target}"),
    ("report", "--out", "{target}"),
    ("mailings", "export", CAMPAIGN, "{target}"),
    ("sessions", "export-attendance", SESSION, "{target}"),
    ("sessions", "invite", SESSION, "--out", "{target}"),
]
TARGETS = ["bulletin.json", "secret.key", "ledgers/{campaign}.jsonl", "nothing/../bulletin.json", "new-file.csv"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c[:2]))
def test_no_command_writes_into_the_data_folder(seeded: Path, command: tuple[str, ...], target: str) -> None:
    before = snapshot(seeded)
    path = seeded / target.format(campaign=CAMPAIGN)
    args = ["--data-dir", str(seeded), *(arg.format(target=path) for arg in command)]
    result = CliRunner().invoke(app, args, env={"BULLETIN_CONFIG": str(seeded.parent / "none.toml")})
    assert isinstance(result.exception, OutputRefusedError), result.output
    assert f"{path}" in str(result.exception) and f"is inside the data folder {seeded}" in str(result.exception)
    assert snapshot(seeded) == before


def test_the_refusal_is_one_line_from_the_installed_command(seeded: Path) -> None:
    before = snapshot(seeded)
    result = run(seeded, "subscribers", "export", str(seeded / "bulletin.json"))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"bulletin-tui: {seeded}/bulletin.json is inside the data folder {seeded}; write it "
                             f"somewhere else (or into {seeded}/exports/)\n")
    assert snapshot(seeded) == before


def test_a_symlink_into_the_data_folder_is_refused_too(seeded: Path, tmp_path: Path) -> None:
    before, link = snapshot(seeded), tmp_path / "innocent"
    link.symlink_to(seeded)
    result = run(seeded, "subscribers", "export", str(link / "bulletin.json"))
    assert result.returncode == 1 and f"(that is {seeded.resolve()}/bulletin.json)" in result.stderr
    result = run(seeded, "bulletin", "render", ISSUE, "--out", str(link / "ledgers"))
    assert result.returncode == 1 and "is the data folder" in result.stderr
    assert snapshot(seeded) == before


def test_render_refuses_the_data_folder_and_any_folder_inside_it(seeded: Path) -> None:
    before = snapshot(seeded)
    for folder in (seeded, seeded / "outbox", seeded / "new" / "folder"):
        result = run(seeded, "bulletin", "render", ISSUE, "--out", str(folder))
        assert result.returncode == 1 and f"{folder} is the data folder {seeded} or inside it" in result.stderr
    assert snapshot(seeded) == before


def test_every_writer_works_outside_the_data_folder_with_mode_0600(seeded: Path, tmp_path: Path) -> None:
    for number, command in enumerate(WRITERS):
        target = tmp_path / f"out-{number}"
        result = run(seeded, *(arg.format(target=target) for arg in command))
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 0 and stat.S_IMODE(target.stat().st_mode) == 0o600, command
    assert run(seeded, "bulletin", "render", ISSUE, "--out", str(tmp_path / "site")).returncode == 0
    assert stat.S_IMODE((tmp_path / "site" / "sample.eml").stat().st_mode) == 0o600


def test_the_exports_subfolder_of_the_data_folder_is_allowed(cli: CliRun) -> None:
    cli("demo")
    out = cli("subscribers", "export", str(cli.data_dir / "exports" / "all.csv"))
    assert "Exported 240 subscribers" in out and (cli.data_dir / "exports" / "all.csv").stat().st_size > 0


def test_an_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"the previous export\n")

    def chunks():  # type: ignore[no-untyped-def]
        yield b"Email,Name\r\n"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_output(target, chunks(), tmp_path / "data")
    assert target.read_bytes() == b"the previous export\n" and os.listdir(tmp_path) == ["export.csv"]


def test_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageWriteError, match="the folder .*nowhere does not exist"):
        write_output(tmp_path / "nowhere" / "x.csv", b"x", tmp_path / "data")
    with pytest.raises(OutputRefusedError):
        check_output_folder(tmp_path / "data" / ".." / "data", tmp_path / "data")


def test_campaign_and_attendance_exports_neutralise_formula_cells(cli: CliRun, tmp_path: Path) -> None:
    cli("demo")
    cli("subscribers", "list-add", "formula", "--name", "Formula")
    cli("subscribers", "add", "=1+1@example.org", "--name", "+SUM(A1)", "--list", "formula")
    cli("send", ISSUE, "--list", "formula", "--force", "--rate-per-minute", "0")
    cli("sessions", "register", SESSION, "=1+1@example.org", "--name", "@HYPERLINK(x)", "--no-send")
    cli("mailings", "export", f"bulletin-{ISSUE}-formula", str(tmp_path / "ledger.csv"))
    cli("sessions", "export-attendance", SESSION, str(tmp_path / "attendance.csv"))
    ledger = list(csv.DictReader((tmp_path / "ledger.csv").open(encoding="utf-8")))
    assert {row["email"] for row in ledger} == {"'=1+1@example.org"}
    attendance = list(csv.DictReader((tmp_path / "attendance.csv").open(encoding="utf-8-sig")))
    assert [(row["email"], row["name"]) for row in attendance] == [("'=1+1@example.org", "'@HYPERLINK(x)")]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in ledger + attendance for cell in row.values())


def test_render_into_the_exports_subfolder_makes_private_folders(cli: CliRun) -> None:
    cli("demo")
    cli("bulletin", "render", ISSUE, "--out", str(cli.data_dir / "exports" / "site"))
    for folder in (cli.data_dir / "exports", cli.data_dir / "exports" / "site" / "sessions"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
