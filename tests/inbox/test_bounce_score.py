"""Bounce scoring per campaign, across a monthly and a weekly cadence and severities."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import orjson
import pytest

from bulletin_tui.domain.bounces import BounceScore, Severity, severity
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.locations import ledger_dir
from bulletin_tui.mailbox.classify import classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context, apply
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState, bounce_scores
from bulletin_tui.services.subscribers.suppression import suppression_reason
from bulletin_tui.services.subscribers.tokens import find_tokens

from .conftest import BOUNCED, CORPUS, READERS


@pytest.mark.parametrize(("status", "diagnostic", "expected"), [
    ("5.1.1", "", Severity.HARD), ("5.1.10", "", Severity.HARD), ("5.2.1", "", Severity.HARD),
    ("5.2.2", "mailbox full", Severity.SOFT), ("5.4.1", "relay access denied", Severity.SOFT),
    # a generic 5.0.0 takes its severity from the server's own words (Postfix, Exim, Gmail diagnostics)
    ("5.0.0", "smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
     Severity.HARD),
    ("5.0.0", "550 User unknown", Severity.HARD),
    ("5.0.0", "550-The email account that you tried to reach does not exist.", Severity.HARD),
    ("5.0.0", "550 Message rejected: content policy", Severity.SOFT),
    ("5.0.0", "554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org", Severity.NONE),
    # Exchange Online's answer for an address its directory does not have; and a domain that does not exist
    ("5.4.1", "smtp;550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", Severity.HARD),
    ("5.4.4", "smtp;554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", Severity.HARD),
    ("4.0.0", "451 4.4.1 No answer from host", Severity.SOFT),
    ("4.4.7", "", Severity.SOFT), ("5.7.1", "spam", Severity.NONE), ("5.7.606", "", Severity.NONE),
    ("", "Sorry, no mailbox here by that name", Severity.HARD), ("", "", Severity.SOFT),
])
def test_severity(status: str, diagnostic: str, expected: Severity) -> None:
    assert severity(status, diagnostic) is expected


DAY = date(2026, 12, 4)


def test_two_campaigns_hard_bounced_reach_the_threshold() -> None:
    score = BounceScore(key="a").counted("2026-12", DAY, Severity.HARD)
    assert not score.over_threshold()
    score = score.counted("2026-12", DAY + timedelta(days=1), Severity.HARD)  # the same campaign: counted once
    assert (score.score, score.hard) == (1.0, 1)
    score = score.counted("2027-01", DAY + timedelta(days=31), Severity.HARD)  # a month later: never stale
    assert score.over_threshold() and score.hard == 2


def test_soft_bounces_need_ten_campaigns_in_a_row_and_a_delivered_one_starts_afresh() -> None:
    score = BounceScore(key="a")
    for n in range(9):
        score = score.counted(f"c{n}", DAY + timedelta(days=30 * n), Severity.SOFT)
    assert score.score == 4.5 and not score.over_threshold()
    assert score.counted("c9", DAY, Severity.SOFT).over_threshold()
    fresh = score.counted("c10", DAY, Severity.SOFT, delivered_since=True)  # c9 reached them: the run is broken
    assert (fresh.score, fresh.last_campaign) == (0.5, "c10")


def test_same_campaign_upgrade_from_soft_to_hard_counts_the_difference() -> None:
    score = BounceScore(key="a").counted("c", DAY, Severity.SOFT).counted("c", DAY, Severity.HARD)
    assert (score.score, score.hard) == (1.0, 1)


def test_policy_refusals_never_count() -> None:
    assert BounceScore(key="a").counted("c", DAY, Severity.NONE).score == 0


# The cadence, through the real path: our ledgers say what was sent to whom, the MTA's report returns our message.
DSN = (CORPUS / "postfix-dsn.eml").read_bytes()
DEAD, OUR_FIRST = BOUNCED["postfix-dsn.eml"]


def _send(ctx: AppContext, campaign: str, at: datetime, people: list[str]) -> dict[str, str]:
    """A campaign ledger: each person sent one message at `at`; their Message-IDs."""
    ids = {person: f"<{campaign}.{n}@kent.gov.uk>" for n, person in enumerate(people)}
    path = ledger_dir(ctx.data_dir) / f"{campaign}.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"at": at.isoformat(), "key": p, "email": p, "state": "sent",
                                            "code": 250, "message_id": m}) + b"\n" for p, m in ids.items()))
    return ids


def _bounce(ctx: AppContext, message_id: str, status: str = "5.1.1") -> None:
    raw = DSN.replace(OUR_FIRST.encode(), message_id.encode()).replace(b"5.1.1", status.encode())
    mail = parse_mail(raw)
    found = classify(mail, find_tokens)
    assert apply(Context(app=ctx, sent=sent_index(ctx)), mail, found, message_id).state is MessageState.APPLIED


def _runs(ctx: AppContext, clock: FixedClock, days: int, bounced: list[bool], status: str = "5.1.1") -> int | None:
    """One campaign every `days` days; the dead address bounces those marked True. The campaign number (1-based)
    at which they were suppressed, or None."""
    clock.advance(days=30)  # after the fixture's own campaign to them (4 December), which reached them
    for number, bounces in enumerate(bounced, start=1):
        clock.advance(days=days)
        ids = _send(ctx, f"c{number:03d}-e-bulletin", clock.now(), [DEAD, READERS[0]])
        if bounces:
            clock.advance(hours=1)
            _bounce(ctx, ids[DEAD], status)
        if suppression_reason(ctx, DEAD) is not None:
            return number
    return None


def test_a_monthly_bulletin_suppresses_a_dead_address_at_its_second_issue(inbox_ctx: AppContext,
                                                                         clock: FixedClock) -> None:
    """Twelve monthly 5.1.1 bounces used to end at score 1.0 (a week's quiet forgot each one)."""
    assert _runs(inbox_ctx, clock, 30, [True] * 12) == 2


def test_a_weekly_bulletin_to_a_full_mailbox_is_suppressed_after_ten_issues_in_a_row(inbox_ctx: AppContext,
                                                                                    clock: FixedClock) -> None:
    assert _runs(inbox_ctx, clock, 7, [True] * 12, status="5.2.2") == 10


def test_an_issue_that_reaches_them_starts_the_count_afresh(inbox_ctx: AppContext, clock: FixedClock) -> None:
    """Nine full-mailbox bounces, one issue delivered, then nine more: never ten in a row, never suppressed."""
    assert _runs(inbox_ctx, clock, 7, [True] * 9 + [False] + [True] * 9, status="5.2.2") is None
    score = bounce_scores(inbox_ctx).get(DEAD)
    assert score is not None and score.score == 4.5 and score.last_campaign == "c019-e-bulletin"
