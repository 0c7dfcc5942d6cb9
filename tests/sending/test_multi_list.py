"""One person, one copy: several lists make one campaign, earlier recipients of an issue are not mailed again,
lists are named by slug or name, and the yearly report counts people and messages apart. Driven through the CLI
against a real SMTP server; the messages it received are what is checked."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bulletin_tui.domain.text import normalise_email
from tests.conftest import DEMO_ISSUE, DEMO_ISSUE_TITLE, DEMO_YEAR, CliRun

from .smtp_server import RunningServer, threaded_server
from .test_send_service import parse

ISSUE = DEMO_ISSUE
RESTRICTED_TITLE = "DHR case update (Operation Example)"


@pytest.fixture
def cli(cli: CliRun) -> CliRun:
    cli("demo")
    cli("bulletin", "add-item", ISSUE, "--title", RESTRICTED_TITLE, "--category", "news", "--restricted",
        "--link", "https://partners.example.org/dhr")
    return cli


def _send(cli: CliRun, server: RunningServer, *args: str) -> str:
    return cli("send", ISSUE, *args, "--force", "--rate-per-minute", "0", "--smtp-host", server.host,
               "--smtp-port", str(server.port), "--smtp-security", "none")


def test_several_lists_make_one_campaign_each_person_once(cli: CliRun) -> None:
    with threaded_server() as server:
        out = _send(cli, server, "--list", "e-bulletin", "--list", "Partnership (restricted)")
        assert "Mailing complete (240 sent of 240)" in out
        received = [parse(m.data) for m in server.messages]
        assert Counter(Counter(normalise_email(m["To"]) for m in received).values()) == {1: 240}
        restricted = [m for m in received if RESTRICTED_TITLE in m.get_body(("html",)).get_content()]  # type: ignore[union-attr]
        assert len(restricted) == 85, "everyone on the cleared list, and only they, get the restricted variant"
        assert all("(restricted: not for forwarding)" in m["Subject"] for m in restricted)
        assert all(m["List-Id"].endswith("<partnership-restricted.kent.gov.uk>") for m in restricted)
        general = [m for m in received if m not in restricted]
        assert all(RESTRICTED_TITLE not in m.get_body(("plain",)).get_content() for m in general)  # type: ignore[union-attr]
        again = _send(cli, server, "--list", "partnership-restricted", "--list", "e-bulletin", "--resume")
        assert "Mailing complete (240 sent of 240)" in again and len(server.messages) == 240
    [campaign] = json.loads(cli("mailings", "list", "--json"))
    assert campaign["slug"] == f"bulletin-{ISSUE}-e-bulletin+partnership-restricted"


def test_a_later_list_skips_people_who_already_got_the_issue(cli: CliRun) -> None:
    with threaded_server() as server:
        assert "240 sent of 240" in _send(cli, server, "--list", "E-bulletin")
        later = _send(cli, server, "--list", "partnership-restricted")
        assert "(nobody to send to of 0)" in later and "85 people on the list(s) already received" in later
        assert len(server.messages) == 240
        forced = _send(cli, server, "--list", "dhr-webinars", "--include-already-sent")
        assert "76 sent of 76" in forced and len(server.messages) == 316
    report = cli("report", "--year", DEMO_YEAR)
    row = next(line for line in report.splitlines() if DEMO_ISSUE_TITLE in line)
    assert row.rstrip().endswith("| 240 | 316 |"), row


def test_list_names_work_wherever_a_list_is_asked_for(cli: CliRun) -> None:
    by_name = cli("bulletin", "check", ISSUE, "--list", "Partnership (restricted)", code=1)
    assert by_name == cli("bulletin", "check", ISSUE, "--list", "partnership-restricted", code=1)
    cli("send", ISSUE, "--list", "E-bulletin", "--test-to", "operator@example.org")
    out = cli("send", ISSUE, "--list", "E-bulletin", "--force", "--rate-per-minute", "0")
    assert "240 sent of 240" in out
