"""`bulletin-tui partners ...` and `bulletin add-item --from-eml` from the shell: what a person types and reads;
bad input is one line naming the problem and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import CliRun
from ..errors.helpers import fingerprint, one_line_error, run_main

CONTRIBUTIONS = Path(__file__).parents[1] / "data" / "inbox" / "contributions"


def failing(cli: CliRun, *args: str) -> str:
    """Run a command that must fail: one line on stderr (main()'s guard), the data folder unchanged."""
    before = fingerprint(cli.data_dir)
    line = one_line_error(run_main(cli.data_dir, *args))
    assert fingerprint(cli.data_dir) == before
    assert line.startswith("bulletin-tui: ")
    return line


def test_partners_add_list_edit_match_remove(cli: CliRun) -> None:
    assert "No partners yet" in cli("partners", "list")
    assert (
        cli("partners", "add", "Kent Police", "--type", "responsible authority", "--domain", "kent-police.example")
        == "Added partner kent-police: Kent Police\n"
    )
    cli("partners", "add", "AMPARO", "--type", "charity", "--address", "Morgan.Specimen@amparo.example")
    listed = json.loads(cli("partners", "list", "--json"))
    assert [(p["slug"], p["title"], p["domains"], p["addresses"], p["status"]) for p in listed] == [
        ("amparo", "AMPARO", [], ["Morgan.Specimen@amparo.example"], "known"),
        ("kent-police", "Kent Police", ["kent-police.example"], [], "known"),
    ]
    assert cli("partners", "match", "pc.one@east.kent-police.example") == (
        "pc.one@east.kent-police.example: Kent Police (kent-police)\n"
    )
    cli("partners", "match", "someone@elsewhere.example", code=1)
    assert "kent-fire.example" in cli("partners", "edit", "kent-police", "--add-domain", "kent-fire.example")
    cli("partners", "remove", "amparo", stdin="n\n", code=1)  # asked, and declined: nothing removed
    assert "AMPARO" in cli("partners", "list")
    assert cli("partners", "remove", "AMPARO", "--yes") == "Removed partner amparo\n"
    assert "AMPARO" not in cli("partners", "list")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("partners", "add", "Kent Police"), "partner 'kent-police' already exists"),
        (("partners", "add", "Police HQ", "--domain", "KENT-police.example"), "already belongs to partner"),
        (("partners", "add", "Bad", "--domain", "bad domain"), "'bad domain' is not an e-mail domain"),
        (("partners", "add", "Bad", "--address", "not-an-address"), "addresses"),
        (("partners", "edit", "nobody", "--type", "x"), "no partner organisation 'nobody'"),
        (("partners", "edit", "kent-police", "--remove-domain", "gone.example"), "has no domain or address"),
    ],
)
def test_bad_partner_input_is_one_line_and_changes_nothing(cli: CliRun, args: tuple[str, ...], message: str) -> None:
    cli("partners", "add", "Kent Police", "--domain", "kent-police.example")
    assert message in failing(cli, *args)


def test_add_item_from_eml_uses_the_registry_and_keeps_attachments_on_request(cli: CliRun) -> None:
    cli("partners", "add", "Kent and Medway Safeguarding Adults Board (KMSAB)", "--domain", "kmsab.example")
    cli("bulletin", "new", "2026-12")
    out = cli(
        "bulletin",
        "add-item",
        "--from-eml",
        str(CONTRIBUTIONS / "pdf-attachment.eml"),
        "--issue",
        "2026-12",
        "--keep-attachments",
    )
    assert out.startswith("Added item safeguarding-adult-review-published to issue 2026-12\n")
    assert "Priya Placeholder <priya.placeholder@kmsab.example>, Kent and Medway Safeguarding" in out
    kept = cli.data_dir / "contributions" / "safeguarding-adult-review-published" / "SAR seven-minute briefing.pdf"
    assert kept.read_bytes().startswith(b"%PDF-") and kept.stat().st_mode & 0o077 == 0
    item = json.loads(cli("bulletin", "show", "2026-12", "--json"))[0]
    assert item["source_organisation"] == "Kent and Medway Safeguarding Adults Board (KMSAB)"
    assert item["category"] == "publication" and item["link"] == "https://www.example.org/kmsab-sar-2026"
    assert item["contributed_by"].startswith("Priya Placeholder by e-mail")

    unknown = cli(
        "bulletin", "add-item", "--from-eml", str(CONTRIBUTIONS / "unknown-sender.eml"), "--category", "news"
    )  # any sender works here; no attachment kept without asking
    assert "to the backlog" in unknown and "(not a known partner)" in unknown
    backlog = json.loads(cli("bulletin", "backlog", "--json"))
    assert [(i["title"], i["category"], i["source_organisation"]) for i in backlog] == [
        ("Free webinar on youth violence for your bulletin", "news", "")
    ]
    assert sorted(p.name for p in (cli.data_dir / "contributions").iterdir()) == ["safeguarding-adult-review-published"]


def test_bad_eml_is_one_line_and_changes_nothing(cli: CliRun, tmp_path: Path) -> None:
    cli("bulletin", "new", "2026-12")
    not_mail = tmp_path / "notes.eml"
    not_mail.write_text("just some notes\nwithout any headers\n", encoding="utf-8")
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    assert "notes.eml: not an e-mail message" in failing(cli, "bulletin", "add-item", "--from-eml", str(not_mail))
    assert "empty.eml: not an e-mail message" in failing(cli, "bulletin", "add-item", "--from-eml", str(empty))
    assert "missing.eml: cannot read it" in failing(
        cli, "bulletin", "add-item", "--from-eml", str(tmp_path / "missing.eml")
    )
    assert "no bulletin issue 'nope'" in failing(
        cli, "bulletin", "add-item", "--from-eml", str(CONTRIBUTIONS / "plain-update.eml"), "--issue", "nope"
    )
    assert "unknown category 'gossip'" in failing(
        cli, "bulletin", "add-item", "--from-eml", str(CONTRIBUTIONS / "plain-update.eml"), "--category", "gossip"
    )
    cli("bulletin", "add-item", "--from-eml", str(CONTRIBUTIONS / "plain-update.eml"))
    assert "already added as item" in failing(
        cli, "bulletin", "add-item", "--from-eml", str(CONTRIBUTIONS / "plain-update.eml")
    )
    assert "needs ISSUE" in failing(cli, "bulletin", "add-item", "2026-12", "--title", "No category")
