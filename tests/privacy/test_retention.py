"""The retention schedule on a data folder seeded over three simulated years (tests/privacy/seed.py), through the
real CLI: the dry run's counts by class, the run, every year's report byte-identical before and after, nothing of
the removed people left in the data folder but a suppression hash and the backups (reported with their expiry), a
second run that removes nothing, and a history of counts only."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from bulletin_tui.domain.identity import address_spellings
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.privacy.ledger_files import idle
from bulletin_tui.services.privacy.retention import apply_retention
from bulletin_tui.services.privacy.retention_class import months_before
from bulletin_tui.services.yearly_report.report import build_report

from .conftest import run_cli
from .seed import REMOVED

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
DUE = {  # class -> (records, per place), on 22 November 2026 with the default schedule
    "send ledgers and outbox copies": (251, {"send_ledgers": 112, "outbox": 139}),
    "registrations and attendance": (54, {"registrations": 27, "session_mail": 27}),
    "feedback free text": (8, {"feedback_responses": 8}),
    "inbox records": (8, {"inbox_messages": 3, "inbox_changes": 2, "bounce_scores": 2, "contributions": 1}),
    "consent evidence of people who left": (8, {"subscribers": 7, "imports": 1}),
    "logs": (2, {"logs": 2}),
    "exports folder": (1, {"exports": 1}),
    "web journal entries": (2, {"web_journal": 2}),
}


def _dry_run(data: Path) -> dict[str, object]:
    result = json.loads(run_cli(data, "privacy", "retention", "--dry-run", "--json").stdout)
    assert isinstance(result, dict)
    return result


def _traces(data: Path, people: list[str]) -> list[str]:
    """Files of the data folder (backups aside) that still hold any spelling of these people, or their names."""
    needles = {s.lower().encode() for p in people for s in address_spellings(p)}
    needles |= {p.split("@")[0].title().lower().encode() for p in people} | {b"leaver five"}
    found = []
    for path in sorted(p for p in data.rglob("*") if p.is_file() and "backups" not in p.parts):
        text = path.read_bytes().lower()
        found += [f"{path.relative_to(data)}: {n.decode()}" for n in needles if n in text]
    return found


def test_the_dry_run_lists_each_class_with_its_count_and_oldest_date_oldest_first(seeded: Path) -> None:
    before = (seeded / "bulletin.json").read_bytes()
    result = _dry_run(seeded)
    classes = result["classes"]
    assert isinstance(classes, list)
    assert {c["title"]: (c["count"], {k: v for k, v in c["places"].items() if v}) for c in classes} == DUE
    oldest = [c["oldest"] for c in classes]
    assert oldest == sorted(oldest) and result["dry_run"] is True and result["run"] is None
    assert [c["title"] for c in classes][:2] == ["send ledgers and outbox copies", "registrations and attendance"]
    assert {k["place"]: k["count"] for k in result["kept"]} == {"suppressions": 1, "backups": 1,
                                                               "partner_contacts": 0}
    text = run_cli(seeded, "privacy", "retention", "--dry-run").stdout
    assert "set by the council's records manager" in text and "Kept: suppressions" in text
    assert "registrations and attendance (24 months after the session's last date): 54 would be removed" in text
    assert (seeded / "bulletin.json").read_bytes() == before, "a dry run changes nothing"


def test_the_run_keeps_every_years_report_and_leaves_nothing_of_the_removed(seeded: Path) -> None:
    reports = {year: run_cli(seeded, "report", "--year", year).stdout for year in YEARS}
    assert "| 6 | 5 |" in reports["2023/24"] and "response rate 80 % of 5 attendees" in reports["2023/24"]
    assert _traces(seeded, REMOVED), "the seed holds the people it is about"

    run = run_cli(seeded, "privacy", "retention", stdin="y\n")  # asks first (every writer compacts the web
    assert "Remove or make anonymous these 332 records? This cannot be undone" in run.stdout  # journal on opening)
    assert "Done: registrations and attendance 54;" in run.stdout
    assert "Kept: backups (2 backups; each pruned within 30 days; the last by " in run.stdout

    for year in YEARS:
        assert run_cli(seeded, "report", "--year", year).stdout == reports[year], year
    assert _traces(seeded, REMOVED) == []
    held = json.loads(run_cli(seeded, "subscribers", "show-data", REMOVED[1]).stdout)
    assert held["suppressed"] == "hard bounce" and held["subscriber"] is None  # the hash honours the bounce
    assert held["backups"] and all(datetime.fromisoformat(b["until"]) > datetime.now(UTC) for b in held["backups"])
    run_cli(seeded, "subscribers", "show-data", REMOVED[0], code=1)  # nothing held (backups are copies)
    assert "Nothing is older than its period: nothing was changed." in run_cli(
        seeded, "privacy", "retention", "--yes").stdout
    assert all(c["count"] == 0 for c in _dry_run(seeded)["classes"])  # type: ignore[union-attr]

    history = run_cli(seeded, "privacy", "retention", "--history", "--json").stdout
    [recorded] = json.loads(history)
    assert "@" not in history and "leaver" not in history.lower()
    assert recorded["counts"] == {name: count for name, (count, _) in DUE.items() if name != "web journal entries"}
    assert recorded["kept"] == {"kept_sessions": 5, "kept_years": 3, "kept_bulletins": 5}
    assert recorded["finished_at"] and recorded["by"].endswith("(command line)")
    assert "figures kept: 5 sessions, 3 years, 5 bulletins" in run_cli(seeded, "privacy", "retention",
                                                                       "--history").stdout


def test_a_ledger_whose_campaign_is_sending_is_left_for_the_next_run(seeded_ctx: AppContext) -> None:
    ledger = seeded_ctx.data_dir / "ledgers" / "bulletin-2023-05-e-bulletin.jsonl"
    report = build_report(seeded_ctx, "2023/24")
    with idle(ledger) as free:  # this process holds the campaign's run lock, as a running send does
        assert free
        first = apply_retention(seeded_ctx, dry_run=False)
    assert first.run is not None and first.run.busy == [ledger.name]
    assert b"stayer01@district.example" in ledger.read_bytes()
    second = apply_retention(seeded_ctx, dry_run=False)
    assert second.run is not None and second.run.counts == {"send ledgers and outbox copies": 23}
    assert b".example" not in ledger.read_bytes() and build_report(seeded_ctx, "2023/24") == report


def test_nothing_due_writes_nothing(seeded_ctx: AppContext) -> None:
    apply_retention(seeded_ctx, dry_run=False)
    generation = seeded_ctx.store.generation
    again = apply_retention(seeded_ctx, dry_run=False)
    assert again.total == 0 and again.run is None and seeded_ctx.store.generation == generation


def test_the_schedule_comes_from_the_settings(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_RETENTION__REGISTRATIONS_MONTHS", "48")
    monkeypatch.setenv("BULLETIN_RETENTION__LEAVERS_MONTHS", "0")
    classes = {c["title"]: c for c in _dry_run(seeded)["classes"]}  # type: ignore[union-attr]
    assert classes["registrations and attendance"]["count"] == 0
    assert classes["registrations and attendance"]["period"] == "48 months"
    assert classes["consent evidence of people who left"]["places"]["subscribers"] == 9  # everyone who left
    monkeypatch.setenv("BULLETIN_RETENTION__INBOX_MONTHS", "0")
    refused = run_cli(seeded, "privacy", "retention", "--dry-run", code=1)
    assert refused.stderr.count("\n") == 1 and "retention.inbox_months" in refused.stderr


@pytest.mark.parametrize(("moment", "months", "expected"), [
    ("2026-11-22T10:00:00+00:00", 24, "2024-11-22T10:00:00+00:00"),
    ("2026-03-31T23:59:00+00:00", 1, "2026-02-28T23:59:00+00:00"),
    ("2028-02-29T12:00:00+00:00", 12, "2027-02-28T12:00:00+00:00"),
    ("2026-01-15T00:00:00+00:00", 13, "2024-12-15T00:00:00+00:00"),
])
def test_months_are_calendar_months(moment: str, months: int, expected: str) -> None:
    assert months_before(datetime.fromisoformat(moment), months) == datetime.fromisoformat(expected)


def test_history_is_empty_at_first(seeded: Path) -> None:
    assert run_cli(seeded, "privacy", "retention", "--history").stdout.strip() == (
        "The retention schedule has not removed anything yet.")
    assert orjson.loads(run_cli(seeded, "privacy", "retention", "--history", "--json").stdout) == []
