"""Issue #11 item 11: saved unsubscribe e-mails with a malformed From header (which makes Python's email
package raise IndexError or AttributeError) are one report line each; every other file is still processed."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from .helpers import fingerprint, run_cli, run_main

MALFORMED_FROM = ['"', "<", "a@", '"a" <', "a <b@", " <", "first@example.org, second@example.org", ""]


def _someone(data_dir: Path, index: int = 0) -> str:
    subscribers = orjson.loads((data_dir / "bulletin.json").read_bytes())["subscribers"]
    return str(sorted(s["email"] for s in subscribers.values())[index])


def _write(folder: Path, name: str, sender: str) -> Path:
    path = folder / name
    path.write_bytes(f"From: {sender}\r\nSubject: unsubscribe\r\nMessage-ID: <{name}@example.org>\r\n\r\n"
                     "Please take me off the list.\r\n".encode())
    return path


def test_malformed_senders_are_reported_and_the_rest_processed(data_dir: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, sender in enumerate(MALFORMED_FROM):
        _write(inbox, f"0{number}-malformed.eml", sender)  # sorted before the good one
    good = _someone(data_dir)
    _write(inbox, "50-good.eml", good)
    result = run_main(data_dir, "subscribers", "unsubscribe", str(inbox), "--trust-sender")
    assert result.returncode == 1, "some files were not applied"
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(MALFORMED_FROM), result.stderr
    for number, line in enumerate(sorted(lines)):
        assert line.startswith(f"0{number}-malformed.eml: not applied: "), line
    assert f"50-good.eml: unsubscribed {good} from" in result.stdout
    listed = json.loads(run_main(data_dir, "subscribers", "list", "--json").stdout)
    [person] = [p for p in listed if p["email"] == good]
    assert set(person["lists"].values()) == {"unsubscribed"}


def test_a_batch_of_only_bad_files_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, sender in enumerate(MALFORMED_FROM):
        _write(inbox, f"{number}.eml", sender)
    (inbox / "binary.eml").write_bytes(bytes(range(256)) * 8)
    before = fingerprint(data_dir)
    result = run_cli(data_dir, "subscribers", "unsubscribe", str(inbox), "--trust-sender")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == len(MALFORMED_FROM) + 1
    assert fingerprint(data_dir) == before
