"""Who is who (#27 item 5): the type guessed from the address, shown by a real import, corrected by edit; and the
PECR pre-send check both ways through the real CLI (exit code and the one-line finding)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.domain.organisation import OrganisationType, guess_type
from tests.conftest import CliRun

PUBLIC, COMPANY, INDIVIDUAL = OrganisationType.PUBLIC_BODY, OrganisationType.COMPANY, OrganisationType.INDIVIDUAL


@pytest.mark.parametrize(("email", "kind", "known"), [
    ("a@gmail.com", INDIVIDUAL, True), ("b@GoogleMail.COM", INDIVIDUAL, True), ("c@hotmail.co.uk", INDIVIDUAL, True),
    ("d@btinternet.com", INDIVIDUAL, True), ("e@ICLOUD.COM", INDIVIDUAL, True), ("f@talktalk.net", INDIVIDUAL, True),
    ("g@kent.gov.uk", PUBLIC, True), ("h@Kent.Police.UK", PUBLIC, True), ("i@nhs.net", PUBLIC, True),
    ("j@kmpt.nhs.uk", PUBLIC, True), ("k@stmarys.kent.sch.uk", PUBLIC, True), ("l@kent.fire-uk.org", PUBLIC, True),
    ("m@parliament.uk", PUBLIC, True), ("n@example.co.uk", COMPANY, False),
    ("o@mail.gmail.com.evil.org", COMPANY, False), ("p@notgov.uk", COMPANY, False), ("q@gmail.com.", INDIVIDUAL, True),
])
def test_the_type_is_guessed_from_the_domain(email: str, kind: OrganisationType, known: bool) -> None:
    guess = guess_type(email)
    assert (guess.type, guess.known_domain) == (kind, known)


PEOPLE = ("Email,Name,Organisation type\nann@kent.gov.uk,Ann,\nbob@gmail.com,Bob,\ncat@Example.CO.UK,Cat,\n"
          "dan@btinternet.com,Dan,company\n")


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_a_real_import_shows_the_guesses_and_edit_corrects_them(tmp_path: Path) -> None:
    data_dir, csv = tmp_path / "data", tmp_path / "people.csv"
    csv.write_text(PEOPLE)
    done = _run(data_dir, "subscribers", "import", str(csv), "--basis", "public task")
    assert done.returncode == 0, done.stderr
    assert ("Organisation types (file column, else guessed from the address; correct with `bulletin-tui subscribers "
            "edit EMAIL --org-type ...`): 1 public body (1 guessed); 2 company or other corporate body (1 guessed, 1 "
            "from a domain not known); 1 sole trader or individual (1 guessed)") in done.stdout.splitlines()
    people = {p["slug"]: p for p in json.loads(_run(data_dir, "subscribers", "list", "--json").stdout)}
    assert [(people[e]["organisation_type"], people[e]["organisation_type_guessed"], people[e]["lawful_basis"])
            for e in ("ann@kent.gov.uk", "bob@gmail.com", "cat@example.co.uk", "dan@btinternet.com")] == [
        ("public-body", True, "public task"), ("individual", True, "public task"), ("company", True, "public task"),
        ("company", False, "public task")]
    fixed = _run(data_dir, "subscribers", "edit", "cat@example.co.uk", "--org-type", "individual", "--basis", "consent",
                 "--reference", "phone call 3 Nov")
    assert fixed.stdout.strip() == ("cat@Example.CO.UK: sole trader or individual; lawful basis consent recorded for "
                                    "e-bulletin"), fixed
    [cat] = [p for p in json.loads(_run(data_dir, "subscribers", "list", "--json").stdout)
             if p["slug"] == "cat@example.co.uk"]
    assert (cat["organisation_type"], cat["organisation_type_guessed"], cat["lawful_basis"]) == (
        "individual", False, "consent")
    wrong = _run(data_dir, "subscribers", "edit", "cat@example.co.uk", "--org-type", "sole-trader")
    assert wrong.returncode == 2 and "'sole-trader' is not one of" in wrong.stderr  # typer's usage error


def test_an_unknown_type_in_the_file_names_the_row(cli: CliRun, tmp_path: Path) -> None:
    csv = tmp_path / "typed.csv"
    csv.write_text("Email,Sector\nx@example.org,spaceship\ny@example.org,Charity\n")
    out = json.loads(cli("subscribers", "import", str(csv), "--dry-run", "--json"))
    assert out["counts"]["invalid"] == 1 and "organisation type 'spaceship'" in out["invalid"][0]["reason"]
    assert out["organisation_types"]["company"] == {"total": 1, "guessed": 0, "unknown_domain": 0}


def _promotional_issue(cli: CliRun, tmp_path: Path, *, promotional: bool = True) -> None:
    (tmp_path / "people.csv").write_text(PEOPLE)
    cli("subscribers", "import", str(tmp_path / "people.csv"), "--basis", "public task")
    cli("bulletin", "new", "2026-12")
    cli("bulletin", "add-item", "2026-12", "--title", "Paid course", "--category", "training", "--link",
        "https://example.org/course", *(["--promotional"] if promotional else []))


def test_a_promotional_item_to_an_individual_without_consent_blocks_check_and_send(cli: CliRun,
                                                                                   tmp_path: Path) -> None:
    _promotional_issue(cli, tmp_path)
    out = cli("bulletin", "check", "2026-12", code=1)
    [line] = [line for line in out.splitlines() if line.endswith("[promotional-consent]")]
    assert line.startswith("error: item 'paid-course' (Paid course) is promotional and would go to 1 sole trader "
                           "or individual without consent for e-bulletin, 1 of them typed by a guess")
    assert "--basis consent" in line and "--not-promotional" in line
    refused = _run(cli.data_dir, "send", "2026-12")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "is promotional" in refused.stderr
    assert not list(cli.data_dir.rglob("*.eml")), "nothing was sent"
    assert cli("subscribers", "list", "--needs-consent", "--json").count('"email"') == 1


@pytest.mark.parametrize("fix", [
    ("subscribers", "edit", "bob@gmail.com", "--basis", "consent", "--reference", "e-mail of 2 Nov"),
    ("subscribers", "edit", "bob@gmail.com", "--org-type", "company"),
    ("bulletin", "edit-item", "paid-course", "--not-promotional"),
])
def test_with_consent_a_corporate_type_or_no_promotion_the_check_passes(cli: CliRun, tmp_path: Path,
                                                                        fix: tuple[str, ...]) -> None:
    _promotional_issue(cli, tmp_path)
    cli(*fix)
    out = cli("bulletin", "check", "2026-12")
    assert "promotional-consent" not in out
    assert "[promotional]" in cli("bulletin", "show", "2026-12") or fix[-1] == "--not-promotional"


def test_an_item_not_promotional_is_stored_as_before(cli: CliRun, tmp_path: Path) -> None:
    _promotional_issue(cli, tmp_path, promotional=False)
    assert "promotional-consent" not in cli("bulletin", "check", "2026-12")
    assert "promotional" not in cli("bulletin", "show", "2026-12", "--json")
