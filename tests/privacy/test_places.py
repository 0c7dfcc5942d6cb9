"""Subject access, erasure, the retention schedule and the audit name the same places, because each iterates
`PLACES`; and `PLACES` misses nothing: a person put in every place is found in each by subject access and leaves no
trace after erasure (but the suppression hash and the copies erasure reports), and every table and folder of real
data folders is a place or is named as holding no personal data."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from bulletin_tui.domain.bounces import BounceScore, Severity
from bulletin_tui.domain.identity import address_spellings
from bulletin_tui.locations import exports_dir
from bulletin_tui.sending.ledger import Ledger, stamp
from bulletin_tui.services.bulletins.assembly import add_item
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.feedback.imports import import_feedback
from bulletin_tui.services.inbox.drafts import ContributionDraft, drafts_table
from bulletin_tui.services.inbox.records import (
    InboxAction,
    InboxMessage,
    MessageState,
    bounce_scores,
    inbox_actions,
    inbox_messages,
)
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.mailings.runs import ledger_path
from bulletin_tui.services.mailings.session_delivery import deliver_pending
from bulletin_tui.services.partners.registry import add_partner
from bulletin_tui.services.privacy.places import NOT_PERSONAL, PLACES
from bulletin_tui.services.privacy.retention import CLASSES, UNSCHEDULED
from bulletin_tui.services.privacy.subject import erase
from bulletin_tui.services.sessions.catalogue import create_session
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.suppression import suppress
from bulletin_tui.storage.backups import make_backup
from bulletin_tui.storage.journal import Journal

from .conftest import run_cli

PERSON, NAME = "Pat.Everywhere@Bücher.example", "Pat Everywhere"
NAMES = {p.name for p in PLACES}


def _everywhere(ctx: AppContext, tmp: Path) -> None:
    """Put one person in every place personal data lives."""
    now = ctx.clock.now()
    add_list(ctx, "e-bulletin", "e-Bulletin")
    (tmp / "list.csv").write_text(f"Email,Name\n{PERSON},{NAME}\nother@example.org,Other\n", encoding="utf-8")
    import_file(ctx, tmp / "list.csv", "e-bulletin")
    create_session(ctx, slug="csis", title="CSIS", start=now + timedelta(days=3), end=now + timedelta(days=3, hours=1))
    register(ctx, "csis", PERSON, name=NAME)
    deliver_pending(ctx, "csis")
    create_issue(ctx, "2026-11")
    add_item(ctx, "2026-11", title="News", category="news", summary="News.", link="https://www.kent.gov.uk/")
    asyncio.run(send_bulletin(ctx, "2026-11", "e-bulletin", force=True, rate_per_minute=0))
    ledger = Ledger(ledger_path(ctx, "bulletin-2026-11-e-bulletin"))
    ledger.append({"at": stamp(now), "event": "bounced", "recipient": "pat.everywhere@xn--bcher-kva.example",
                   "status": "5.2.2", "reply": "mailbox full"})
    ledger.close()
    (tmp / "feedback.csv").write_text("Email,Name,How would you rate the delivery?,Any other comments?\n"
                                      f"{PERSON},{NAME},Good,Thanks from {NAME}\n", encoding="utf-8")
    import_feedback(ctx, "csis", tmp / "feedback.csv", keep_names=True)
    inbox_messages(ctx).put(InboxMessage(key="<m1@x>", received_at=now, sender=PERSON, subject="Hello",
                                         kind="reply", state=MessageState.REVIEW))
    inbox_actions(ctx).put(InboxAction(id="A00001", at=now, message="<m1@x>", action="bounce",
                                       person="pat.everywhere@xn--bcher-kva.example", detail="soft bounce"))
    bounce_scores(ctx).put(BounceScore(key="pat.everywhere@xn--bcher-kva.example", score=0.5,
                                       last_day=now.date(), last_severity=Severity.SOFT))
    drafts_table(ctx).put(ContributionDraft(key="<offer@x>", received_at=now, title="Offer", contact_name=NAME,
                                            contact_email=PERSON))
    add_partner(ctx, "Kent Partner Trust", addresses=[PERSON])
    journal = Journal(ctx.data_dir)
    journal.write([{"id": "w1", "at": now.isoformat(), "kind": "signup_requested",
                    "request": {"email": PERSON, "name": NAME, "lists": ["e-bulletin"]}}])
    journal.close()
    (ctx.data_dir / "logs").mkdir(mode=0o700, exist_ok=True)
    (ctx.data_dir / "logs" / "tui-errors.log").write_text(
        f"--- {now:%Y-%m-%dT%H:%M:%SZ} erase\nDomainError: no list for {PERSON}\n", encoding="utf-8")
    (exports_dir(ctx.data_dir) / "people.csv").write_text(f"{PERSON},{NAME}\n", encoding="utf-8")
    suppress(ctx, PERSON, "hard bounce")
    make_backup(ctx.store.db.path)  # as the next process to save would


def _traces(data: Path, *, besides: tuple[str, ...]) -> list[str]:
    needles = {s.lower().encode() for s in address_spellings(PERSON)} | {NAME.lower().encode(), b"b_cher"}
    found = []
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        relative = str(path.relative_to(data))
        if not relative.startswith(besides):
            found += [f"{relative}: {n.decode()}" for n in needles if n in path.read_bytes().lower()]
    return found


def test_audit_subject_access_and_erasure_name_the_same_places(ctx: AppContext, tmp_path: Path) -> None:
    _everywhere(ctx, tmp_path)
    audit = json.loads(run_cli(ctx.data_dir, "privacy", "audit", "--json").stdout)
    held = json.loads(run_cli(ctx.data_dir, "subscribers", "show-data", PERSON.upper()).stdout)
    assert [row["place"] for row in audit] == list(held["places"]) == [p.name for p in PLACES]
    assert all(row["count"] >= 1 for row in audit), [r["place"] for r in audit if not r["count"]]
    assert [name for name, count in held["places"].items() if count < 1] == [], "found in every place"
    assert held["partner_contacts"] == ["kent-partner-trust"] and held["log_lines"][0]["lines"] == 1

    report = erase(ctx, PERSON)
    assert list(report.places) == [p.name for p in PLACES]
    assert [name for name, count in report.places.items() if count < 1] == []
    assert _traces(ctx.data_dir, besides=("backups", "exports/people.csv")) == []
    assert [str(p) for p in report.exports] == [str(exports_dir(ctx.data_dir) / "people.csv")]
    assert report.backups and all(until > ctx.clock.now() for _, until in report.backups)
    after = json.loads(run_cli(ctx.data_dir, "subscribers", "show-data", PERSON).stdout)
    assert {n for n, c in after["places"].items() if c} == {"suppressions", "exports", "backups"}


def test_the_schedule_and_the_audit_cover_every_place() -> None:
    scheduled = {name for c in CLASSES for name in c.places}
    assert scheduled <= NAMES and set(UNSCHEDULED) <= NAMES
    assert scheduled | set(UNSCHEDULED) == NAMES and not scheduled & set(UNSCHEDULED)
    assert len(NAMES) == len(PLACES), "place names are unique"


@pytest.fixture
def folders(seeded: Path, ctx: AppContext, tmp_path: Path) -> list[Path]:
    """Real data folders: three years retained, a person everywhere, and the demo with a send and a web request."""
    run_cli(seeded, "privacy", "retention", "--yes")
    _everywhere(ctx, tmp_path)
    demo = tmp_path / "demo"
    run_cli(demo, "demo")
    run_cli(demo, "send", "--list", "e-bulletin", "--force", "--rate-per-minute", "0",
            json.loads(run_cli(demo, "bulletin", "list", "--json").stdout)[0]["slug"])
    return [seeded, ctx.data_dir, demo]


def test_every_table_and_folder_of_real_data_folders_is_a_place_or_holds_no_one(folders: list[Path]) -> None:
    tables = {t for p in PLACES for t in p.tables}
    paths = {path for p in PLACES for path in p.paths}
    for data in folders:
        stored = orjson.loads((data / "bulletin.json").read_bytes())
        unknown = [t for t in stored if t not in tables and t not in NOT_PERSONAL]
        assert unknown == [], f"{data}: tables that are neither a place nor named as holding no one: {unknown}"
        entries = [e.name for e in data.iterdir() if not e.name.startswith(".")]
        unknown = [e for e in entries if e not in paths and e not in NOT_PERSONAL]
        assert unknown == [], f"{data}: files or folders neither a place nor named as holding no one: {unknown}"
