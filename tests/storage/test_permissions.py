"""Issue #11 item 15: every file in the data folder is 0600 and every folder 0700; looser ones are tightened once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO_ISSUE, DEMO_SESSION, CliRun

SESSION = DEMO_SESSION


def modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def loose_modes(folder: Path) -> dict[str, str]:
    return {name: f"{mode:04o}" for name, mode in modes(folder).items()
            if mode not in (0o600, 0o700) or (mode == 0o700) != (folder / name).is_dir()}


def test_everything_the_commands_write_is_private(cli: CliRun) -> None:
    old = os.umask(0o022)  # the usual umask: files 0644 and folders 0755 unless the code says otherwise
    try:
        for command in (
            ["demo"], ["send", DEMO_ISSUE, "--list", "partnership-restricted", "--force", "--rate-per-minute", "0"],
            ["send", DEMO_ISSUE, "--list", "e-bulletin", "--test-to", "operator@kent.gov.uk"],
            ["sessions", "register", SESSION, "reg@example.org", "--name", "Reg"],
            ["subscribers", "erase", "reg@example.org", "--yes"],
            ["subscribers", "export", str(cli.data_dir / "exports" / "all.csv")],
        ):
            cli(*command)
            assert loose_modes(cli.data_dir) == {}, command  # checked after each: opening tightens what is left
    finally:
        os.umask(old)
    assert {"outbox", "ledgers/sessions", "backups", "exports/all.csv", "secret.key"} <= set(modes(cli.data_dir))
    assert any(name.startswith("ledgers/sessions/") for name in modes(cli.data_dir))


def test_a_loose_data_folder_is_tightened_on_open_and_said_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "demo").returncode == 0
    (data / "outbox").mkdir()
    (data / "outbox" / "000001-old@example.org.eml").write_bytes(b"To: old@example.org\r\n\r\nhello\r\n")
    os.chmod(data / "outbox" / "000001-old@example.org.eml", 0o644)
    os.chmod(data / "outbox", 0o755)
    os.chmod(data, 0o755)
    first = run(data, "subscribers", "lists")
    assert first.returncode == 0
    notice = [line for line in first.stderr.splitlines() if "open to others" in line]
    assert notice == [f"bulletin-tui: the data folder {data} was open to others (mode 0755); made it private "
                      "(folders 0700, files 0600)"]
    assert modes(data)["."] == 0o700 and modes(data)["outbox"] == 0o700
    assert modes(data)["outbox/000001-old@example.org.eml"] == 0o600
    second = run(data, "subscribers", "lists")
    assert second.returncode == 0 and "open to others" not in second.stderr


def test_loose_files_inside_a_private_folder_are_tightened_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "demo").returncode == 0
    (data / "ledgers").mkdir(mode=0o700)
    (data / "ledgers" / "sessions").mkdir(mode=0o755)  # as an older version made it
    result = run(data, "subscribers", "lists")
    assert f"1 file(s) or folder(s) in the data folder {data} were open to others" in result.stderr
    assert modes(data)["ledgers/sessions"] == 0o700
