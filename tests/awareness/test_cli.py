"""The `calendar` commands and `bulletin new` with the month's campaigns, end to end through the CLI. The CLI runs
on the real clock, so every date here is in a named year."""

from __future__ import annotations

import json
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

NAMES = [
    "16 Days of Action against domestic abuse",
    "Alcohol Awareness Week",
    "Dry January",
    "Hate Crime Awareness Week",
    "Safeguarding Adults Awareness Week",
]


def one_line_failure(data: Path, *args: str) -> str:
    """Run the real entry point; it must fail with exit 1 and one line on stderr."""
    result = subprocess.run(
        [sys.executable, "-c", "from bulletin_tui.cli import main; main()", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def listed(cli, year: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {row["title"]: row for row in json.loads(cli("awareness", "list", "--year", str(year), "--json"))}


def test_seed_is_idempotent_and_keeps_the_papers_dates(cli) -> None:  # type: ignore[no-untyped-def]
    assert "No awareness campaigns yet" in cli("awareness", "list")
    assert "Added 5 awareness campaign(s)" in cli("awareness", "seed")
    assert "Added 0 awareness campaign(s); 5 already there" in cli("awareness", "seed")
    rows = listed(cli, 2021)
    assert sorted(rows) == NAMES
    assert (
        rows["Safeguarding Adults Awareness Week"]["start"],
        rows["Safeguarding Adults Awareness Week"]["end"],
        rows["Safeguarding Adults Awareness Week"]["dates_recorded"],
    ) == ("2021-11-15", "2021-11-21", True)
    assert rows["Alcohol Awareness Week"]["end"] == "2021-11-22"
    assert rows["16 Days of Action against domestic abuse"]["start"] == "2021-11-25"
    assert all(row["link"] in (None, "https://www.kent.gov.uk/knowyourscore") for row in rows.values())
    assert "check the organiser's dates" in rows["Hate Crime Awareness Week"]["note"].lower()
    upcoming = json.loads(cli("awareness", "upcoming", "--weeks", "53", "--json"))
    assert {row["title"] for row in upcoming} == set(NAMES)  # a year ahead holds every yearly campaign


def test_add_edit_record_dates_remove(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli(
        "awareness",
        "add",
        "Road Safety Week",
        "--rule",
        "third Sunday of November for 7 days",
        "--topic",
        "Road Safety",
        "--short-name",
        "RSW",
    )
    assert "Added Road Safety Week (road-safety-week)" in out
    row = listed(cli, 2027)["Road Safety Week"]
    assert (row["start"], row["end"], row["rule"], row["topics"]) == (
        "2027-11-21",
        "2027-11-27",
        "third Sunday of November for 7 days",
        ["Road Safety"],
    )
    cli("awareness", "edit", "rsw", "--rule", "second week of November", "--link", "https://www.brake.org.uk/")
    row = listed(cli, 2027)["Road Safety Week"]
    assert (row["start"], row["end"], row["link"]) == ("2027-11-08", "2027-11-14", "https://www.brake.org.uk/")
    assert "Recorded Road Safety Week 2027: Monday 15 to Sunday 21 November 2027" in cli(
        "awareness", "dates", "Road Safety Week", "--year", "2027", "15-21 Nov"
    )
    assert listed(cli, 2027)["Road Safety Week"]["start"] == "2027-11-15"  # recorded dates win in their year
    assert listed(cli, 2028)["Road Safety Week"]["start"] == "2028-11-13"  # the rule still gives the others
    cli("awareness", "remove", "Road Safety Week", code=1, stdin="n\n")
    assert "Road Safety Week" in listed(cli, 2027)
    assert "Removed Road Safety Week" in cli("awareness", "remove", "road-safety-week", "--yes")
    assert listed(cli, 2027) == {}


def test_bad_input_is_one_line_and_changes_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    cli("awareness", "seed")
    database = cli.data_dir / "bulletin.json"
    before = database.read_bytes()
    assert "'octobr' is not a month" in one_line_failure(
        cli.data_dir, "awareness", "add", "X", "--rule", "third week of Octobr"
    )
    assert "already exists" in one_line_failure(cli.data_dir, "awareness", "add", "Dry January", "--rule", "Feb")
    assert "no awareness campaign 'nope'" in one_line_failure(
        cli.data_dir, "awareness", "dates", "nope", "1 Jan", "--year", "2027"
    )
    assert "start in 2021, not in 2027" in one_line_failure(
        cli.data_dir, "awareness", "dates", "saaw", "2021-11-15 to 2021-11-21", "--year", "2027"
    )
    assert "does not fall in 2027-01" in one_line_failure(
        cli.data_dir, "bulletin", "new", "2027-01", "--campaign", "Hate Crime Awareness Week"
    )
    assert database.read_bytes() == before  # the refused issue was not created either
    assert "is not a month (YYYY-MM)" in one_line_failure(
        cli.data_dir, "bulletin", "new", "winter-special", "--add-campaigns"
    )
    assert database.read_bytes() == before
    assert "Created issue winter-special" in cli("bulletin", "new", "winter-special")  # no month: nothing offered


def test_bulletin_new_offers_then_adds_the_months_campaigns(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("awareness", "seed")
    offered = cli("bulletin", "new", "2027-11")
    assert "Awareness campaigns this month" in offered
    for line in (
        "Safeguarding Adults Awareness Week: Monday 15 to Sunday 21 November 2027",
        "Alcohol Awareness Week: Monday 15 to Sunday 21 November 2027",
        "16 Days of Action against domestic abuse: Thursday 25 November to Friday 10 December 2027",
    ):
        assert line in offered
    assert json.loads(cli("bulletin", "show", "2027-11", "--json")) == []
    added = cli("bulletin", "new", "2027-12", "--add-campaigns")  # 16 Days runs on into December
    assert "Added item 16-days-of-action-against-domestic-abuse" in added
    chosen = cli("bulletin", "add-campaigns", "2027-11", "--campaign", "SAAW", "--campaign", "know your score")
    assert "Safeguarding Adults Awareness Week" in chosen and "Alcohol Awareness Week" in chosen
    items = json.loads(cli("bulletin", "show", "2027-11", "--json"))
    assert [(i["title"], i["category"]) for i in items] == [
        ("Safeguarding Adults Awareness Week", "campaign"),
        ("Alcohol Awareness Week", "campaign"),
    ]
    assert items[1]["link"] == "https://www.kent.gov.uk/knowyourscore"
    again = cli("bulletin", "add-campaigns", "2027-11")
    assert "Safeguarding Adults Awareness Week: an item already mentions it; nothing added" in again
    assert len(json.loads(cli("bulletin", "show", "2027-11", "--json"))) == 3  # only 16 Days was new
    out = tmp_path / "render"
    cli("bulletin", "render", "2027-11", "--out", str(out))
    message = BytesParser(policy=policy.default).parsebytes((out / "sample.eml").read_bytes())
    text = " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]  # unwrapped
    assert "Safeguarding Adults Awareness Week runs from Monday 15 to Sunday 21 November 2027." in text
    assert "https://www.kent.gov.uk/knowyourscore" in text


def test_check_warns_when_a_campaign_starting_this_month_is_not_mentioned(cli) -> None:  # type: ignore[no-untyped-def]
    cli("awareness", "seed")
    cli("bulletin", "new", "2027-10")
    cli(
        "bulletin",
        "add-item",
        "2027-10",
        "--title",
        "Neighbourhood Watch update",
        "--category",
        "news",
        "--link",
        "https://www.kent.police.uk/",
    )
    warning = (
        "warning: awareness campaign 'Hate Crime Awareness Week' starts this month (Saturday 9 to Saturday "
        "16 October 2027) and no item mentions it [campaign-not-mentioned]"
    )
    assert warning in cli("bulletin", "check", "2027-10").splitlines()
    cli(
        "bulletin",
        "edit-item",
        "neighbourhood-watch-update",
        "--summary",
        "Events for hate crime  AWARENESS week across Kent.",
    )
    assert "campaign-not-mentioned" not in cli("bulletin", "check", "2027-10")
    cli("bulletin", "new", "2027-12")  # 16 Days started in November: no warning in December
    cli("bulletin", "add-item", "2027-12", "--title", "Winter", "--category", "news", "--link", "https://x.example/")
    assert "campaign-not-mentioned" not in cli("bulletin", "check", "2027-12")
    cli("bulletin", "new", "2027-11")
    cli(
        "bulletin",
        "add-item",
        "2027-11",
        "--title",
        "16 Days: what is on",
        "--category",
        "campaign",
        "--summary",
        "Know Your Score quiz.",
        "--link",
        "https://x.example/",
    )
    november = cli("bulletin", "check", "2027-11")  # short names count: only SAAW is missing
    assert november.count("campaign-not-mentioned") == 1 and "'Safeguarding Adults Awareness Week'" in november
