"""Bounce scoring rules (Mailman-like), across days, weeks and severities."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bulletin_tui.domain.bounces import BounceScore, Severity, severity


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


def test_two_hard_bounces_on_different_days_reach_the_threshold() -> None:
    score = BounceScore(key="a").counted(DAY, Severity.HARD)
    assert not score.over_threshold()
    score = score.counted(DAY, Severity.HARD)  # same day: counted once
    assert (score.score, score.hard) == (1.0, 1)
    score = score.counted(DAY + timedelta(days=1), Severity.HARD)
    assert score.over_threshold() and score.hard == 2


def test_soft_bounces_need_ten_days_and_decay_after_a_quiet_week() -> None:
    score = BounceScore(key="a")
    for n in range(9):
        score = score.counted(DAY + timedelta(days=n), Severity.SOFT)
    assert score.score == 4.5 and not score.over_threshold()
    fresh = score.counted(DAY + timedelta(days=8 + 8), Severity.SOFT)  # 8 quiet days: the old score is forgotten
    assert fresh.score == 0.5
    assert score.counted(DAY + timedelta(days=9), Severity.SOFT).over_threshold()


def test_same_day_upgrade_from_soft_to_hard_counts_the_difference() -> None:
    score = BounceScore(key="a").counted(DAY, Severity.SOFT).counted(DAY, Severity.HARD)
    assert (score.score, score.hard) == (1.0, 1)


def test_policy_refusals_never_count() -> None:
    assert BounceScore(key="a").counted(DAY, Severity.NONE).score == 0
