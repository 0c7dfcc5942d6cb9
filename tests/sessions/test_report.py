"""The financial-year report: sessions delivered and planned, bulletins with ledger recipients, subscribers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bulletin_tui.domain.bulletins import BulletinIssue, BulletinItem, Category, IssueStatus
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.subscribers import ConsentAction, ConsentRecord, Membership, MembershipStatus, Subscriber
from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.ledger import Ledger
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.attendance import mark_attendance
from bulletin_tui.services.yearly_report.data import year_facts
from bulletin_tui.services.yearly_report.report import attendance_chart, build_report


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _person(email: str, granted: str, withdrawn: str | None = None) -> Subscriber:
    consent = [ConsentRecord(at=at(granted), action=ConsentAction.GRANTED, list_slug="bulletin", source="form")]
    status = MembershipStatus.SUBSCRIBED
    if withdrawn:
        consent.append(ConsentRecord(at=at(withdrawn), action=ConsentAction.WITHDRAWN, list_slug="bulletin",
                                     source="unsubscribe link"))
        status = MembershipStatus.UNSUBSCRIBED
    return Subscriber(email=email, lists={"bulletin": Membership(status=status, changed_at=consent[-1].at)},
                      consent=consent, created_at=at(granted), updated_at=consent[-1].at)


@pytest.fixture
def year(ctx, make_session):  # type: ignore[no-untyped-def]
    make_session("fish-fest", start="2026-04-23 12:30", end="13:30", title="CSIS: Fish FEST | low-level ASB",
                 topics=["Anti-social behaviour"])
    make_session("railway", start="2026-06-20 12:30", end="13:30", title="Safeguarding on the Railway",
                 topics=["Safeguarding", "Transport"])
    make_session("december", start="2026-12-03 12:30", end="13:30", title="DHR learning webinar")
    make_session("dropped", start="2026-09-10 12:30", end="13:30", title="Dropped session")
    make_session("last-year", start="2026-03-26 12:30", end="13:30", title="Previous year")
    sessions.cancel_session(ctx, "dropped")
    for n in range(4):
        registrations.register(ctx, "fish-fest", f"p{n}@example.org")
    for n in range(3):
        mark_attendance(ctx, "fish-fest", f"p{n}@example.org", True)
    registrations.register(ctx, "december", "early@example.org")  # to come: its attendance is never reported
    registrations.register(ctx, "railway", "q@example.org")
    items = [BulletinItem(id=f"item-{n}", title=f"Headline {n}", category=Category.NEWS, created_at=at("2026-05-01"))
             for n in range(5)]
    ctx.store.items.put_many(items)
    ctx.store.issues.put_many([
        BulletinIssue(slug="2026-05", title="Community Safety e-Bulletin, May 2026", item_ids=[i.id for i in items],
                      status=IssueStatus.SENT, created_at=at("2026-05-01"), sent_at=at("2026-05-14 09:00")),
        BulletinIssue(slug="2026-02", title="February", status=IssueStatus.SENT, created_at=at("2026-02-01"),
                      sent_at=at("2026-02-12 09:00")),
    ])
    ledger = Ledger(ledger_dir(ctx.data_dir) / "bulletin-2026-05-bulletin.jsonl")
    ledger.append({"at": "x", "event": "campaign", "kind": "bulletin", "issue": "2026-05", "list": "bulletin"})
    for n in range(3):
        ledger.append({"at": "x", "key": f"k{n}", "email": f"s{n}@example.org", "state": "sent"})
    ledger.append({"at": "x", "key": "k9", "email": "bad@example.org", "state": "failed"})
    ledger.close()
    ctx.store.subscribers.put_many([
        _person("a@example.org", "2025-01-10"), _person("b@example.org", "2025-06-01", withdrawn="2026-07-01"),
        _person("c@example.org", "2026-08-01"), _person("d@example.org", "2026-11-01"),
    ])
    return "2026/27"


def test_facts(ctx, year):
    facts = year_facts(ctx, year)
    assert [line.session.slug for line in facts.delivered] == ["fish-fest", "railway"]
    assert [(line.registered, line.attended) for line in facts.delivered] == [(4, 3), (1, None)]
    assert [line.session.slug for line in facts.planned] == ["december"]
    assert [s.slug for s in facts.cancelled] == ["dropped"]
    [bulletin] = facts.bulletins
    assert (bulletin.items, bulletin.headlines, bulletin.recipients) == (5, ["Headline 0", "Headline 1",
                                                                             "Headline 2"], 3)
    assert (facts.subscribers_start, facts.subscribers_end) == (2, 3)


def test_markdown(ctx, year):
    text = build_report(ctx, year)
    assert text.startswith("# Kent Community Safety Team: update for the partnership, 2026/27")
    assert "Financial year Wednesday 1 April 2026 to Wednesday 31 March 2027" in text
    assert ("| Thursday 23 April 2026 | CSIS: Fish FEST \\| low-level ASB | Anti-social behaviour | 4 | 3 | 0 | 1 |"
            in text)
    assert ("| Saturday 20 June 2026 | Safeguarding on the Railway | Safeguarding; Transport | 1 | not recorded | – "
            "| 1 |" in text)
    assert ("| Thursday 14 May 2026 | Community Safety e-Bulletin, May 2026 | 5 | Headline 0; Headline 1; "
            "Headline 2 | 3 | 3 |") in text
    assert "**2** information sessions delivered, **3** attendances recorded; 1 more planned; 1 cancelled" in text
    assert "Subscribers: **2** at the start of the year, **3** so far (+1)" in text
    assert "| Sunday 22 November 2026 (year in progress) | 3 |" in text and "**1** e-bulletin sent" in text
    assert "Previous year" not in text and "February" not in text
    chart = text.split("```text\n")[1].split("```")[0].splitlines()
    assert chart[0].endswith("3/4") and "█" * 22 + "░" * 8 in chart[0]
    assert chart[-1].split() == ["█", "attended", "▒", "no-show", "░", "not", "recorded"]
    assert chart[1].endswith("?/1")


def test_no_show_and_not_recorded_are_told_apart(ctx, clock, year):
    clock.advance(days=12)  # 4 December: the December webinar has been held
    mark_attendance(ctx, "fish-fest", "p3@example.org", False)
    mark_attendance(ctx, "december", "early@example.org", False)
    text = build_report(ctx, year)
    assert "| Anti-social behaviour | 4 | 3 | 1 | 0 |" in text  # three came, one did not, none unknown
    assert "| DHR learning webinar | – | 1 | 0 | 1 | 0 |" in text
    chart = text.split("```text\n")[1].split("```")[0].splitlines()
    assert "█" * 22 + "▒" * 8 in chart[0] and "░" not in chart[0]


def test_planned_sessions_show_no_attendance(ctx, year):
    planned = build_report(ctx, year).split("### Planned for the rest of the year")[1].split("## ")[0]
    assert "| Date | Session | Topics | Registered |\n" in planned and "Attended" not in planned
    assert "| DHR learning webinar | – | 1 |" in planned


def test_chart_scales_and_copes_with_nothing():
    assert attendance_chart([]) == ["(no sessions delivered)"]


def test_bad_year_label(ctx):
    with pytest.raises(DomainError, match="not a financial year"):
        build_report(ctx, "2024-25")
