"""The `subscribers` commands end to end (typer's CliRunner), plus one-line errors via a real subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_tui.cli import app
from tests.conftest import CliRun

from .conftest import DATA


@pytest.fixture
def cli(cli: CliRun) -> CliRun:
    return CliRun(cli.data_dir, "subscribers")


def test_import_dry_run_then_commit_then_undo(cli) -> None:  # type: ignore[no-untyped-def]
    preview = json.loads(cli("import", str(DATA / "invalid_rows.csv"), "--dry-run", "--json"))
    assert preview["counts"]["new"] == 2 and [n["row"] for n in preview["invalid"]] == [3, 4, 5, 6, 7, 8]
    assert preview["import_id"] is None
    text = cli("import", str(DATA / "invalid_rows.csv"))
    assert "2 new" in text and "row 4: invalid: no e-mail address" in text
    [record] = json.loads(cli("imports", "--json"))
    assert record["status"] == "applied" and record["counts"]["invalid"] == 6
    assert f"Undid {record['slug']}: removed 2" in cli("undo-import", record["slug"])
    assert json.loads(cli("list", "--json")) == []


def test_lists_add_list_unsubscribe_by_token_and_address(cli) -> None:  # type: ignore[no-untyped-def]
    cli("list-add", "dhr-webinars", "--name", "DHR webinars")
    cli("add", "Pat@Example.org", "--name", "Pat Example", "--organisation", "KCC")
    cli("add", "pat@example.org", "--list", "DHR webinars", "--source", "form")
    rows = {r["slug"]: r for r in json.loads(cli("lists", "--json"))}
    assert rows["dhr-webinars"]["subscribed"] == 1 and rows["e-bulletin"]["subscribed"] == 1
    token = cli("token", "pat@example.org", "--list", "dhr-webinars").strip()
    assert "unsubscribed Pat@Example.org from dhr-webinars" in cli("unsubscribe", token)
    assert "from e-bulletin" in cli("unsubscribe", "PAT@example.org")
    [person] = json.loads(cli("list", "--json"))
    assert person["lists"] == {"e-bulletin": "unsubscribed", "dhr-webinars": "unsubscribed"}


def test_unsubscribe_accepts_a_folder_of_eml_files(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("add", "q@example.org")
    token = cli("token", "q@example.org").strip()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "q.eml").write_text(f"From: q@example.org\nSubject: unsubscribe {token}\n\nbye\n")
    (inbox / "junk.eml").write_text("From: x@example.org\nSubject: hello\n\nno token\n")
    result = CliRunner().invoke(app, ["--data-dir", str(cli.data_dir), "subscribers", "unsubscribe", str(inbox)])
    assert result.exit_code == 1  # one request could not be applied
    assert "q.eml: unsubscribed q@example.org from e-bulletin" in result.stdout
    assert "junk.eml: not applied: no unsubscribe token" in result.stderr


def test_export_show_data_and_erase(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(DATA / "formula_cells.csv"))
    out = tmp_path / "out.csv"
    assert "Exported 2 subscribers" in cli("export", str(out))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in csv.reader(handle) for cell in row)
    data = json.loads(cli("show-data", "calc@example.org"))
    assert data["subscriber"]["email"] == "calc@example.org" and data["consent_history"][0]["source"] == "import"
    cli("erase", "calc@example.org", stdin="n\n", code=1)  # declined at the prompt: nothing happens
    assert json.loads(cli("show-data", "calc@example.org"))["subscriber"] is not None
    text = cli("erase", "calc@example.org", "--yes")
    assert "subscriber record removed" in text and "now suppressed" in text
    raw = (cli.data_dir / "bulletin.json").read_text()
    assert "calc@example.org" not in raw


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "subscribers", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_errors_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "add", "gone@example.org").returncode == 0
    assert run_cli(data_dir, "unsubscribe", "gone@example.org").returncode == 0
    before = (data_dir / "bulletin.json").read_bytes()
    for args, message in [
        (("add", "gone@example.org"), "unsubscribed from e-bulletin on"),
        (("import", str(DATA / "no_email_column.csv")), "no_email_column.csv: row 1 has no e-mail column"),
        (("unsubscribe", "u1.AAAAAAAAAAAAAAAA.e-bulletin.0.AAAAAAAAAAAAAAAAAAAAAA"), "not genuine"),
        (("import", str(DATA / "utf8_no_bom_plain.csv"), "--list", "nope"), "no list called 'nope'"),
        (("show-data", "stranger@example.org"), "nothing is held about"),
    ]:
        result = run_cli(data_dir, *args)
        assert result.returncode == 1, result
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert (data_dir / "bulletin.json").read_bytes() == before


def test_edit_changes_only_the_given_details_and_refuses_bad_values(cli) -> None:  # type: ignore[no-untyped-def]
    cli("add", "pat@example.org", "--name", "Pat Example", "--organisation", "KCC", "--topic", "domestic abuse")
    out = cli("edit", "PAT@example.org", "--role", "Analyst", "--area", "Swale")
    assert "Updated pat@example.org: Pat Example, KCC" in out
    [person] = json.loads(cli("list", "--json"))
    assert (person["role"], person["area"], person["topics"]) == ("Analyst", "Swale", ["Domestic Abuse"])
    result = CliRunner().invoke(app, ["--data-dir", str(cli.data_dir), "subscribers", "edit", "pat@example.org",
                                      "--name", "x" * 300])
    assert "name: String should have at most 200 characters" in str(result.exception)
    assert json.loads(cli("list", "--json"))[0]["name"] == "Pat Example"
    missing = CliRunner().invoke(app, ["--data-dir", str(cli.data_dir), "subscribers", "edit",
                                       "nobody@example.org", "--role", "x"])
    assert "no subscriber with the address nobody@example.org" in str(missing.exception)


def test_undo_import_never_re_subscribes_and_names_what_it_left(cli, tmp_path: Path) -> None:  # type: ignore
    """Issue #11 item 4: subscribed -> an import saying `Status: unsubscribed` -> undo leaves them unsubscribed."""
    cli("add", "pat@example.org", "--name", "Pat")
    cli("add", "sam@example.org", "--name", "Sam")
    (tmp_path / "opt-out.csv").write_text("Email,Status\npat@example.org,unsubscribed\nnew@example.org,"
                                          "unsubscribed\n", encoding="utf-8")
    cli("import", str(tmp_path / "opt-out.csv"))
    (tmp_path / "names.csv").write_text("Email,Name\nsam@example.org,Samantha\nlater@example.org,Later\n",
                                        encoding="utf-8")
    cli("import", str(tmp_path / "names.csv"))
    first, second = [r["slug"] for r in json.loads(cli("imports", "--json"))]
    cli("unsubscribe", "sam@example.org")
    out = cli("undo-import", first)
    assert "Kept the consent withdrawal of 2 person(s)" in out
    people = {p["email"]: p for p in json.loads(cli("list", "--json"))}
    assert people["pat@example.org"]["lists"] == {"e-bulletin": "unsubscribed"}
    assert people["new@example.org"]["lists"] == {"e-bulletin": "unsubscribed"}, "kept as evidence, not deleted"
    consent = json.loads(cli("show-data", "pat@example.org"))["consent_history"]
    assert [c["action"] for c in consent] == ["granted", "withdrawn"]
    out = cli("undo-import", second)
    assert "removed 1, restored 0" in out and "Left 1 record that changed after the import:" in out
    assert "  sam@example.org: unsubscribed from e-bulletin (" in out
    shown = cli("imports", "--show", second)
    assert "Left 1 record that changed after the import:" in shown and "sam@example.org: unsubscribed" in shown
    assert {p["email"]: p["name"] for p in json.loads(cli("list", "--json"))}["sam@example.org"] == "Samantha"
    cli("erase", "sam@example.org", "--yes")
    assert "sam@example.org" not in cli("imports", "--show", second) + cli("imports", "--json")


def test_list_rename_keeps_the_slug_and_refuses_a_taken_name(cli) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    cli("list-add", "dhr", "--name", "DHR webinars")
    cli("list-add", "csis", "--name", "CSIS invitations")
    assert "List dhr is now called DHR learning webinars" in cli(
        "list-rename", "DHR webinars", "DHR learning webinars")
    names = {row["slug"]: row["name"] for row in _json.loads(cli("lists", "--json"))}
    assert names["dhr"] == "DHR learning webinars"
    cli("list-rename", "dhr", "csis invitations", code=1)
    names = {row["slug"]: row["name"] for row in _json.loads(cli("lists", "--json"))}
    assert names["dhr"] == "DHR learning webinars"
