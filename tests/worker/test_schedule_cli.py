"""`send ISSUE --at WHEN` records a send for the worker (after the checks a send runs, as on that day); a time in
the past, one that does not parse, does not exist or happens twice is refused in one line naming the format;
`send scheduled` lists them; `send cancel-scheduled ID` cancels one that has not started (asking first)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import open_context
from bulletin_tui.services.schedule.records import ScheduleState
from bulletin_tui.services.schedule.sending import claim_next
from tests.conftest import DEMO_ISSUE, FIXED_NOW, CliRun

from .support import ROOT

FORMAT = "YYYY-MM-DD HH:MM (Europe/London), e.g. 2027-01-08 09:00"


def failing(data: Path, *args: str, stdin: str = "") -> str:
    """The real entry point fails with exit 1 and one line on stderr; that line."""
    result = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), *args], cwd=ROOT,
                            input=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result
    return result.stderr.removeprefix("bulletin-tui: ").strip()


@pytest.fixture
def month(cli: CliRun) -> CliRun:
    cli("demo")
    cli("bulletin", "new", "2027-01", "--title", "January")
    cli("bulletin", "add-item", "2027-01", "--title", "Winter safety", "--category", "campaign", "--summary",
        "Advice for partners.", "--link", "https://www.kent.gov.uk/winter")
    return cli


@pytest.mark.parametrize(("when", "says"), [
    ("next friday", f"send time 'next friday' is not a time: write it as {FORMAT}"),
    ("2027-01-08", f"send time '2027-01-08' is not a time: write it as {FORMAT}"),
    ("2026-11-22 09:59", f"send time 2026-11-22 09:59 is in the past (it is now 2026-11-22 1?:??); give a later time "
                         f"as {FORMAT}"),  # the suite's clock runs on from 10:00, for well under two hours
    ("2027-03-28 01:30", "send time: 2027-03-28 01:30 does not exist in London (clocks go forward); did you mean "
                         "02:30 BST?"),
    ("2027-10-31 01:30", "send time: 2027-10-31 01:30 happens twice in London (clocks go back); say which: the "
                         "first (BST) or the second (GMT)"),
])
def test_a_wrong_time_is_refused_in_one_line(month: CliRun, when: str, says: str) -> None:
    said = failing(month.data_dir, "send", "2027-01", "--list", "e-bulletin", "--at", when)
    assert fnmatchcase(said, says), said  # ? stands for any one character
    assert "No scheduled sends" in month("send", "scheduled")


def test_checks_flags_and_a_second_schedule_are_refused(month: CliRun) -> None:
    data = month.data_dir
    fails = failing(data, "send", DEMO_ISSUE, "--list", "e-bulletin", "--at", "2027-01-08 09:00")
    assert fails.startswith(f"issue {DEMO_ISSUE} fails ") and "pre-send check(s) as of its send time: " in fails
    assert fails.endswith("(see: bulletin-tui bulletin check; --force to override)")
    assert failing(data, "send", "2027-01", "--list", "e-bulletin", "--at", "2027-01-08 09:00", "--resume") == (
        "--at cannot be combined with --resume (the worker sends a scheduled send with the settings' transport and "
        "limits, and resumes it itself)")
    out = month("send", "2027-01", "--list", "e-bulletin", "--at", "2027-01-08 09:00")
    assert out.startswith("Scheduled #1: 2027-01 to e-bulletin at Fri 08 Jan 2027 09:00 (Europe/London), 240 "
                          "recipient(s) as of now; the worker sends it then")
    assert failing(data, "send", "2027-01", "--list", "E-bulletin", "--at", "2027-01-09 09:00") == (
        "bulletin-2027-01-e-bulletin is already scheduled (#1, Fri 08 Jan 2027 09:00, scheduled); cancel that one "
        "first: bulletin-tui send cancel-scheduled 1")
    forced = month("send", DEMO_ISSUE, "--list", "dhr-webinars", "--list", "csis-invitations", "--at",
                   "2026-12-01 17:30", "--force")
    assert forced.startswith(f"Scheduled #2: {DEMO_ISSUE} to dhr-webinars + csis-invitations at Tue 01 Dec 2026 "
                             "17:30")
    (data / "ledgers" / f"bulletin-{DEMO_ISSUE}-partnership-restricted.jsonl").write_text('{"event": "campaign"}\n')
    assert failing(data, "send", DEMO_ISSUE, "--list", "partnership-restricted", "--at", "2027-01-08 09:00",
                   "--force") == (f"campaign bulletin-{DEMO_ISSUE}-partnership-restricted was already started; "
                                  f"continue it with: bulletin-tui send {DEMO_ISSUE} --list partnership-restricted "
                                  "--resume")


def test_listing_and_cancelling_until_it_starts(month: CliRun) -> None:
    data = month.data_dir
    month("send", "2027-01", "--list", "e-bulletin", "--at", "2027-01-08 09:00")
    month("send", "2027-01", "--list", "csis-invitations", "--at", "2026-12-01 08:00")
    lines = month("send", "scheduled").splitlines()
    assert [line.split()[:3] for line in lines] == [["#2", "2027-01", "csis-invitations"],
                                                    ["#1", "2027-01", "e-bulletin"]]  # by when they go
    assert "Tue 01 Dec 2026 08:00" in lines[0] and " scheduled " in lines[0] and " by " in lines[0]
    listed = json.loads(month("send", "scheduled", "--json"))
    assert [(row["id"], row["slug"], row["status"], row["at"]) for row in listed] == [
        ("2", "bulletin-2027-01-csis-invitations", "scheduled", "2026-12-01T08:00:00+00:00"),
        ("1", "bulletin-2027-01-e-bulletin", "scheduled", "2027-01-08T09:00:00+00:00")]

    assert failing(data, "send", "cancel-scheduled", "1", stdin="n\n") == "not cancelled"
    out = month("send", "cancel-scheduled", "1", stdin="y\n")
    assert "Cancel scheduled send #1: 2027-01 to e-bulletin at Fri 08 Jan 2027 09:00? [y/N]" in out
    assert "Cancelled scheduled send #1 (2027-01 to e-bulletin at Fri 08 Jan 2027 09:00); nothing was sent" in out
    assert failing(data, "send", "cancel-scheduled", "1", "--yes") == (
        "scheduled send #1 is cancelled; there is nothing to cancel")
    assert failing(data, "send", "cancel-scheduled", "9", "--yes") == (
        "no scheduled send #9 (see: bulletin-tui send scheduled)")

    later = open_context(Settings(data_dir=data), clock=FixedClock(FIXED_NOW + timedelta(days=10)))
    claimed = claim_next(later, "a-worker")  # a worker has started it
    later.close()
    assert claimed is not None and claimed.id == "2" and claimed.state is ScheduleState.STARTED
    assert failing(data, "send", "cancel-scheduled", "2", "--yes") == (
        "scheduled send #2 has started: it is campaign bulletin-2027-01-csis-invitations (started); pause that "
        "campaign instead (stopping the worker pauses it between messages; its ledger keeps who has had it)")
    assert " started " in month("send", "scheduled").splitlines()[0]
