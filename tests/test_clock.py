"""BULLETIN_NOW: one instant for a whole process tree, refused at start-up when it does not parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bulletin_tui.domain.clock import ANCHOR_VARIABLE, NOW_VARIABLE, SystemClock, parse_instant
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.services.demo.schedule import online_session_slugs, training_slug
from tests.conftest import FIXED_NOW
from tests.errors.helpers import fingerprint, one_line_error, run_cli

PRINT_NOW = "from bulletin_tui.domain.clock import SystemClock; print(SystemClock().now().isoformat())"


def _env(instant: str) -> dict[str, str]:
    """This environment with another BULLETIN_NOW, as a user starting a fresh shell would have it."""
    env = {key: value for key, value in os.environ.items() if key != ANCHOR_VARIABLE}
    return {**env, NOW_VARIABLE: instant}


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-22T10:00:00Z", datetime(2026, 11, 22, 10, 0, tzinfo=UTC)),
    ("2027-03-31T23:59+01:00", datetime(2027, 3, 31, 22, 59, tzinfo=UTC)),
    ("2028-02-29 12:00:00+00:00", datetime(2028, 2, 29, 12, 0, tzinfo=UTC)),
])
def test_an_instant_with_its_zone_is_read_in_utc(text: str, expected: datetime) -> None:
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["garbage", "2026-11-22", "2026-11-22T10:00", "2026-02-30T10:00Z", "next friday"])
def test_an_instant_without_a_zone_or_that_does_not_exist_is_refused(text: str) -> None:
    with pytest.raises(DomainError, match=f"BULLETIN_NOW='{text}' is not an ISO 8601 time with its zone"):
        parse_instant(text)


def test_the_cli_refuses_a_bad_instant_in_one_line_and_creates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    before = fingerprint(tmp_path)
    result = run_cli(data, "demo", env=_env("2026-13-01T00:00Z"))
    one_line_error(result, "BULLETIN_NOW='2026-13-01T00:00Z'", "e.g. 2026-11-22T10:00:00Z")
    assert fingerprint(tmp_path) == before


def test_the_process_clock_starts_at_the_instant_and_runs_on() -> None:
    first = SystemClock().now()
    time.sleep(0.05)
    second = SystemClock().now()
    assert FIXED_NOW <= first < FIXED_NOW + timedelta(hours=2)  # the whole suite runs well inside two hours
    assert second - first >= timedelta(seconds=0.05)


def test_a_child_process_shares_its_parents_timeline() -> None:
    """The first process anchors the instant; a child started later continues that time instead of restarting it,
    so stamps written by two processes (a send's ledger, the web face's journal) keep the order they happened in."""
    script = ("import subprocess, sys, time\n" + PRINT_NOW + "\ntime.sleep(1.0)\n"
              f"subprocess.run([sys.executable, '-c', {PRINT_NOW!r}], check=True)")
    lines = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env=_env("2030-01-01T09:00:00Z"), timeout=60).stdout.split()
    parent, child = (datetime.fromisoformat(line) for line in lines)
    assert datetime(2030, 1, 1, 9, 0, tzinfo=UTC) <= parent < datetime(2030, 1, 1, 9, 0, 30, tzinfo=UTC)
    assert timedelta(seconds=1.0) <= child - parent < timedelta(seconds=30)


def test_reading_another_instant_for_a_while_keeps_the_first_timeline_for_later_children() -> None:
    """Found by the soak inside the whole suite: a test read another BULLETIN_NOW (monkeypatched, then put back),
    which replaced the suite's anchor; the worker the soak started later began its own timeline minutes behind the
    test's, and the send scheduled by the test's clock never fell due. Now each instant keeps its own start."""
    script = ("import os, subprocess, sys, time\n"
              "from bulletin_tui.domain.clock import SystemClock\n"
              "first = os.environ['BULLETIN_NOW']\n"
              "print(SystemClock().now().isoformat())\n"
              "time.sleep(1.0)\n"
              "os.environ['BULLETIN_NOW'] = '2031-06-01T12:00:00Z'\n"
              "SystemClock().now()\n"
              "os.environ['BULLETIN_NOW'] = first\n"
              f"subprocess.run([sys.executable, '-c', {PRINT_NOW!r}], check=True)")
    lines = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env=_env("2030-01-01T09:00:00Z"), timeout=60).stdout.split()
    parent, child = (datetime.fromisoformat(line) for line in lines)
    assert timedelta(seconds=1.0) <= child - parent < timedelta(seconds=30)


def test_the_demo_places_its_month_by_the_london_calendar(tmp_path: Path) -> None:
    """At 00:30 BST on 1 April it is still 31 March in UTC: the draft issue is April's, in London."""
    instant = "2027-04-01T00:30:00+01:00"
    data = tmp_path / "data"
    assert run_cli(data, "demo", env=_env(instant)).returncode == 0
    issues = json.loads(run_cli(data, "bulletin", "list", "--json", env=_env(instant)).stdout)
    assert [i["slug"] for i in issues if i["status"] == "draft"] == ["2027-04"]
    sessions = {s["slug"] for s in json.loads(run_cli(data, "sessions", "list", "--json", env=_env(instant)).stdout)}
    expected = [*online_session_slugs(parse_instant(instant)), training_slug(parse_instant(instant))]
    assert set(expected) <= sessions, (expected, sorted(sessions))
    assert expected == ["demo-2027-04-22", "demo-2027-05-13", "demo-asb-cpd-2027-05-04"]
