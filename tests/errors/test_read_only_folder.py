"""Issue #11 item 9: a read-only data folder. Reading commands work and create nothing (not even `ledgers/`
or `secret.key`); writing commands say so in one line; the folder stays byte-identical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.conftest import DEMO_ISSUE, DEMO_YEAR

from .helpers import fingerprint, one_line_error, run_cli

# Root ignores file modes; without these capabilities it is held to them like anyone else.
DROP_OVERRIDES = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")


def _as_ordinary_user() -> tuple[str, ...]:
    """The command prefix that makes file modes apply to the child (empty when not root)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and util-linux setpriv is missing, so a read-only folder cannot be simulated")
    probe = subprocess.run([*DROP_OVERRIDES, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"running as root and capabilities cannot be dropped here: {probe.stderr!r}")
    return DROP_OVERRIDES


def _set_modes(folder: Path, file_mode: int, dir_mode: int) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(dir_mode if path.is_dir() else file_mode)
    folder.chmod(dir_mode)


@pytest.fixture
def read_only(data_dir: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    prefix = _as_ordinary_user()
    _set_modes(data_dir, 0o400, 0o500)  # read-only, and private as a data folder is (0444 keys are refused)
    try:
        yield data_dir, prefix
    finally:
        _set_modes(data_dir, 0o600, 0o700)


def _someone(data_dir: Path) -> str:
    subscribers = orjson.loads((data_dir / "bulletin.json").read_bytes())["subscribers"]
    return str(next(iter(subscribers.values()))["email"])


def test_the_simulated_folder_really_refuses_writes(read_only: tuple[Path, tuple[str, ...]]) -> None:
    data_dir, prefix = read_only
    attempt = subprocess.run([*prefix, sys.executable, "-c", f"open({str(data_dir / 'probe')!r}, 'w')"],
                             capture_output=True, text=True)
    assert attempt.returncode != 0 and "Permission denied" in attempt.stderr


def test_reading_commands_work_and_create_nothing(read_only: tuple[Path, tuple[str, ...]], tmp_path: Path) -> None:
    data_dir, prefix = read_only
    before = fingerprint(data_dir)
    email = _someone(data_dir)
    for args, expected in [
        (("subscribers", "show-data", email), f'"email": "{email}"'),
        (("subscribers", "list"), email),
        (("subscribers", "lists"), "e-bulletin"),
        (("bulletin", "list"), DEMO_ISSUE),
        (("mailings", "list"), "No mailings yet."),
        (("sessions", "list"), "scheduled"),
        (("report", "--year", DEMO_YEAR), f"update for the partnership, {DEMO_YEAR}"),
        (("subscribers", "export", str(tmp_path / "out.csv")), "Exported 240 subscribers"),
        (("subscribers", "import", str(Path(__file__).parent.parent / "data" / "duplicates.csv"), "--dry-run"),
         "Dry run: nothing was changed."),
    ]:
        result = run_cli(data_dir, *args, prefix=prefix)
        assert result.returncode == 0, (args, result.stderr)
        assert expected in result.stdout, (args, result.stdout[-400:])
        assert "Traceback" not in result.stderr
    assert fingerprint(data_dir) == before


def test_writing_commands_are_refused_in_one_line(read_only: tuple[Path, tuple[str, ...]]) -> None:
    data_dir, prefix = read_only
    before = fingerprint(data_dir)
    for args in [
        ("subscribers", "add", "new.person@example.org"),
        ("bulletin", "new", "2099-01"),
        ("send", DEMO_ISSUE, "--list", "e-bulletin", "--test-to", "me@example.org"),
        ("subscribers", "unsubscribe", _someone(data_dir)),
    ]:
        one_line_error(run_cli(data_dir, *args, prefix=prefix), f"{data_dir} is not writable", "nothing was changed")
    assert fingerprint(data_dir) == before


def test_the_terminal_app_opens_a_read_only_folder_read_only(read_only: tuple[Path, tuple[str, ...]]) -> None:
    data_dir, prefix = read_only
    before = fingerprint(data_dir)
    code = ("import sys; from pathlib import Path; from bulletin_tui.storage import Database; "
            "db = Database.open(Path(sys.argv[1]), fallback_read_only=True); "
            "print(db.read_only, db.read_only_reason); db.close()")
    opened = subprocess.run([*prefix, sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.startswith("True") and "not writable" in opened.stdout
    assert fingerprint(data_dir) == before


def test_a_reader_never_makes_the_key(tmp_path: Path) -> None:
    """The key is made with the database (its fingerprint recorded). A reader that finds it missing while
    suppressions depend on it says so instead of inventing one (a new random key would silently stop every
    suppression from matching), and creates nothing."""
    from bulletin_tui.config import Settings
    from bulletin_tui.domain.errors import DomainError
    from bulletin_tui.services.context import open_context
    from bulletin_tui.services.subscribers.secret import SECRET_NAME
    from bulletin_tui.services.subscribers.suppression import is_suppressed, suppress
    from bulletin_tui.storage.errors import StorageError

    settings = Settings(data_dir=tmp_path / "data")
    with open_context(settings, read_only=False, create=True) as writer:
        suppress(writer, "gone@example.org", "bounce")
    with open_context(settings, read_only=True) as reader:
        assert is_suppressed(reader, "gone@example.org")
    (tmp_path / "data" / SECRET_NAME).unlink()
    with pytest.raises((DomainError, StorageError), match="secret.key"), open_context(settings, read_only=True) as r:
        is_suppressed(r, "gone@example.org")
    assert not (tmp_path / "data" / SECRET_NAME).exists()


def test_a_reader_migrates_an_older_file_in_memory_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader holds no lock, so it must not write a migrated file (or a backup) behind a writer's back."""
    from bulletin_tui.storage import Database, migrations

    old = orjson.dumps({"_meta": {"schema": {"schema_version": 1}}, "t": {"a": {"v": 1}}})
    (tmp_path / "bulletin.json").write_bytes(old)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, lambda data: {**data, "renamed": data.pop("t")})
    before = fingerprint(tmp_path)
    with Database.open(tmp_path, read_only=True) as db:
        assert db.table("renamed")._read_table() == {"a": {"v": 1}}
    assert fingerprint(tmp_path) == before
