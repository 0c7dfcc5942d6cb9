"""Issue #11 item 10 (records): a hand-edited or damaged record in bulletin.json is one line naming the file,
the table, the record and the field, for fast raw readers (`subscribers lists`, `send`) as for validated ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import DEMO_ISSUE

from .helpers import fingerprint, one_line_error, run_cli, run_main

Damage = Callable[[dict[str, Any]], None]


def _lists_as_a_list(row: dict[str, Any]) -> None:
    row["lists"] = []


def _no_email(row: dict[str, Any]) -> None:
    del row["email"]


def _membership_without_status(row: dict[str, Any]) -> None:
    del next(iter(row["lists"].values()))["status"]


DAMAGE: dict[str, tuple[Damage, str]] = {
    "lists: []": (_lists_as_a_list, "lists: Input should be a valid dictionary"),
    "no email": (_no_email, "email: Field required"),
    "membership without status": (_membership_without_status, "status: Field required"),
}
COMMANDS = {
    "subscribers lists": ("subscribers", "lists"),
    "subscribers list": ("subscribers", "list", "--json"),
    "send": ("send", DEMO_ISSUE, "--list", "e-bulletin", "--force"),
    "export": ("subscribers", "export", "OUT"),
}


def _damage(data_dir: Path, damage: Damage) -> str:
    path = data_dir / "bulletin.json"
    data = orjson.loads(path.read_bytes())
    key = sorted(data["subscribers"])[0]
    damage(data["subscribers"][key])
    path.write_bytes(orjson.dumps(data))
    return key


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_record_is_named_in_one_line(data_dir: Path, tmp_path: Path, kind: str, command: str) -> None:
    damage, problem = DAMAGE[kind]
    key = _damage(data_dir, damage)
    before = fingerprint(data_dir)
    out = tmp_path / "export.csv"
    args = [str(out) if arg == "OUT" else arg for arg in COMMANDS[command]]
    result = run_main(data_dir, *args)
    if kind == "no email" and command == "subscribers lists":  # counting memberships needs no address
        assert result.returncode == 0, result.stderr
    else:
        one_line_error(result, f"{data_dir / 'bulletin.json'}: subscribers record '{key}'", problem)
    after = fingerprint(data_dir)
    after.pop("secret.key", None), before.pop("secret.key", None)  # the key may be made; nothing else may change
    assert after == before and not out.exists(), "no ledger, no outbox message, the database untouched"


def test_a_record_that_is_not_an_object_is_named(data_dir: Path) -> None:
    path = data_dir / "bulletin.json"
    data = orjson.loads(path.read_bytes())
    data["subscribers"]["broken@example.org"] = "broken@example.org"
    path.write_bytes(orjson.dumps(data))
    before = fingerprint(data_dir)
    one_line_error(run_cli(data_dir, "subscribers", "lists"), "subscribers record 'broken@example.org'")
    assert fingerprint(data_dir) == before
