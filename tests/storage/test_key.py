"""Issue #11 item 2: the key is data. A missing or different key is refused once anything depends on it."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from bulletin_tui.storage import Database
from bulletin_tui.storage.backups import list_backups
from bulletin_tui.storage.errors import KeyMismatchError
from bulletin_tui.storage.keyfile import LABEL, read_key

SUPPRESSED = "aisha.example106@fire.example.org"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def fingerprint_of(data_dir: Path) -> str:
    return str(orjson.loads((data_dir / "bulletin.json").read_bytes())["_meta"]["key"]["fingerprint"])


@pytest.fixture
def suppressed(tmp_path: Path) -> Path:
    """Demo data with one address suppressed (a second command, so a backup with the key exists)."""
    data = tmp_path / "data"
    assert run(data, "demo").returncode == 0
    assert run(data, "subscribers", "suppress", SUPPRESSED).returncode == 0
    return data


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(f"Email,Name\n{SUPPRESSED},Aisha\n", encoding="utf-8")
    return path


def test_a_deleted_key_is_refused_and_never_silently_replaced(suppressed: Path, people_csv: Path) -> None:
    (suppressed / "secret.key").unlink()
    before = (suppressed / "bulletin.json").read_bytes()
    result = run(suppressed, "subscribers", "import", str(people_csv), "--list", "e-bulletin")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result
    newest = sorted((suppressed / "backups").glob("*.key"))[-1]
    assert result.stderr.startswith(f"bulletin-tui: {suppressed / 'secret.key'} is missing, so no new key was made")
    assert f"the newest backup that has it is {newest}" in result.stderr
    assert not (suppressed / "secret.key").exists() and (suppressed / "bulletin.json").read_bytes() == before
    os.link(newest, suppressed / "secret.key")  # what the message says to do
    again = run(suppressed, "subscribers", "import", str(people_csv), "--list", "e-bulletin")
    assert again.returncode == 0 and "0 new" in again.stdout and "suppressed (skipped): rows 2" in again.stdout


def test_a_different_key_is_refused(suppressed: Path, people_csv: Path) -> None:
    (suppressed / "secret.key").write_text("ab" * 32 + "\n")
    before = (suppressed / "bulletin.json").read_bytes()
    result = run(suppressed, "subscribers", "import", str(people_csv), "--list", "e-bulletin")
    assert result.returncode == 1 and "is not the key this database was made with" in result.stderr
    assert (suppressed / "bulletin.json").read_bytes() == before
    assert run(suppressed, "subscribers", "lists").returncode == 1, "read-only commands refuse too"


def test_a_new_database_makes_the_key_and_records_its_fingerprint_not_the_key(tmp_path: Path) -> None:
    Database.open(tmp_path, create=True).close()
    key = read_key(tmp_path / "secret.key")
    assert key is not None and stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600
    assert fingerprint_of(tmp_path) == hmac.new(key, LABEL, hashlib.sha256).hexdigest()[:32]
    assert key.hex() not in (tmp_path / "bulletin.json").read_text()


def test_an_old_database_adopts_the_present_key(suppressed: Path) -> None:
    data = orjson.loads((suppressed / "bulletin.json").read_bytes())
    expected = data["_meta"].pop("key")["fingerprint"]
    (suppressed / "bulletin.json").write_bytes(orjson.dumps(data))  # as written before fingerprints existed
    Database.open(suppressed).close()
    assert fingerprint_of(suppressed) == expected


def test_an_old_database_with_keyed_records_and_no_key_is_refused(suppressed: Path) -> None:
    data = orjson.loads((suppressed / "bulletin.json").read_bytes())
    del data["_meta"]["key"]
    (suppressed / "bulletin.json").write_bytes(orjson.dumps(data))
    (suppressed / "secret.key").unlink()
    with pytest.raises(KeyMismatchError, match="is missing, so no new key was made"):
        Database.open(suppressed)
    assert not (suppressed / "secret.key").exists()


def test_a_database_with_nothing_keyed_may_get_a_new_key(tmp_path: Path) -> None:
    Database.open(tmp_path, create=True).close()
    (tmp_path / "secret.key").unlink()
    Database.open(tmp_path).close()
    key = read_key(tmp_path / "secret.key")
    assert key is not None and fingerprint_of(tmp_path) == hmac.new(key, LABEL, hashlib.sha256).hexdigest()[:32]


def test_every_backup_carries_the_key_at_0600(suppressed: Path) -> None:
    key = (suppressed / "secret.key").read_bytes()
    for backup in list_backups(suppressed / "bulletin.json"):
        copy = backup.with_suffix(".key")
        assert copy.read_bytes() == key and stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_a_key_deleted_while_the_data_folder_is_open_is_not_replaced(demo_ctx) -> None:  # type: ignore
    from bulletin_tui.services.subscribers import secret
    from bulletin_tui.services.subscribers.suppression import is_suppressed, suppress

    suppress(demo_ctx, SUPPRESSED, "operator")
    (demo_ctx.data_dir / "secret.key").unlink()
    secret._cache.clear()
    with pytest.raises(KeyMismatchError, match="is missing, so no new key was made"):
        is_suppressed(demo_ctx, SUPPRESSED)
    assert not (demo_ctx.data_dir / "secret.key").exists()


def test_a_key_deleted_while_nothing_depends_on_it_is_replaced_and_recorded(ctx) -> None:  # type: ignore
    from bulletin_tui.services.subscribers import secret
    from bulletin_tui.services.subscribers.suppression import suppress

    (ctx.data_dir / "secret.key").unlink()
    secret._cache.clear()
    suppress(ctx, SUPPRESSED, "operator")  # the first keyed record, under a new key whose fingerprint is recorded
    key = read_key(ctx.data_dir / "secret.key")
    assert key is not None and fingerprint_of(ctx.data_dir) == hmac.new(key, LABEL, hashlib.sha256).hexdigest()[:32]
