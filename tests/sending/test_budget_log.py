"""The shared send log: limiters in different processes (here: separate handles on one file, as two processes have)
see each other's sends before answering, reserve under the lock, and read again after a compaction."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.sending.budget import SendLog, mailbox_key
from bulletin_tui.sending.ratelimit import DAY, BudgetToday, RateLimiter

from ..conftest import FIXED_NOW

MAILBOX = mailbox_key("smtp.office365.com", "KCST@kent.gov.uk")


def limiter(clock: FixedClock, log: Path, *, per_minute: int = 0, per_day: int = 0, mailbox: str = MAILBOX) -> (
        RateLimiter):
    return RateLimiter(clock, per_minute=per_minute, per_day=per_day, log_path=log, mailbox=mailbox)


def test_two_senders_share_the_minute_and_the_day(tmp_path: Path) -> None:
    clock, log = FixedClock(FIXED_NOW), tmp_path / "send-times.log"
    first, second = limiter(clock, log, per_minute=3, per_day=5), limiter(clock, log, per_minute=3, per_day=5)
    for sender in (first, second, first):
        assert sender.delay() == 0
        sender.record()
        clock.advance(seconds=10)
    assert first.delay() == second.delay() == 30  # the first send leaves the minute at +60 s; now +30 s
    clock.advance(seconds=30)
    assert second.delay() == 0
    second.record()
    clock.advance(seconds=60)
    first.record()
    assert first.used_today == second.used_today == 5
    assert second.daily_delay() == first.daily_delay() == DAY - 120  # the oldest (+0 s) leaves at +24 h
    first.close()
    third = limiter(clock, log, per_minute=3, per_day=5)  # a restart: the day's count is still there
    assert third.used_today == 5 and third.delay() == DAY - 120
    second.close()
    third.close()


def test_a_reservation_counts_at_once_and_is_withdrawn_when_unused(tmp_path: Path) -> None:
    clock, log = FixedClock(FIXED_NOW), tmp_path / "send-times.log"
    first, second = limiter(clock, log, per_minute=1), limiter(clock, log, per_minute=1)
    assert first.delay() == 0  # reserved: the other sender already sees it, before any record()
    assert second.used_today == 1 and second.delay() == 60
    first.record()  # uses the reservation: still one
    assert second.used_today == 1
    clock.advance(seconds=61)
    assert second.delay() == 0
    second.close()  # never recorded: given back
    assert first.used_today == 1 and first.delay() == 0
    clock.advance(seconds=5)  # a reservation that went stale is withdrawn and the message logged now
    first.record()
    assert limiter(clock, log).used_today == 2
    first.close()
    assert log.read_text().count(" -\n") == 2  # two withdrawals, as whole lines


def test_mailboxes_count_apart_and_old_lines_count_for_every_mailbox(tmp_path: Path) -> None:
    clock, log = FixedClock(FIXED_NOW), tmp_path / "send-times.log"
    now = FIXED_NOW.timestamp()
    log.write_text(f"{now - 10:.3f}\n{now - 5:.3f} other@smtp.example.org\n{now - 2:.3f} {MAILBOX}\n"
                   f"{now - 1:.3f} {MAILBOX}")  # the last line is still being written: not counted yet
    ours = limiter(clock, log)
    assert ours.used_today == 2
    with log.open("a") as handle:
        handle.write("\n")
    assert ours.used_today == 3
    assert limiter(clock, log, mailbox=mailbox_key("smtp.example.org", "other")).used_today == 2
    ours.close()


def test_a_compacted_log_is_read_again_from_the_top(tmp_path: Path) -> None:
    clock, log = FixedClock(FIXED_NOW), tmp_path / "send-times.log"
    old = FIXED_NOW.timestamp() - 2 * DAY
    log.write_text("".join(f"{old + n:.3f} {MAILBOX}\n" for n in range(3000)))
    reader = limiter(clock, log)
    writer = limiter(clock, log, per_day=10)
    writer.record()  # the first write compacts: 3,000 lines older than a day go
    writer.record()
    assert log.read_text().count("\n") == 2
    assert reader.used_today == 2 and writer.used_today == 2
    writer.close()
    reader.close()


def test_memory_only_log_keeps_order_and_withdrawals(tmp_path: Path) -> None:
    log = SendLog(None)
    for at in (5.0, 1.0, 3.0):
        log.add(at)
    log.withdraw(3.0)
    log.refresh(cutoff=1.0)
    assert log.times == [5.0]


def test_the_plan_says_what_goes_now_and_when_the_rest_can() -> None:
    now = FIXED_NOW  # 10:00 UTC in November: 10:00 in London
    budget = BudgetToday(9_000, 7_800, now, oldest=now - timedelta(minutes=25))
    assert budget.left == 1_200
    assert budget.plan(5_000) == ("Budget left today: 1,200 of 9,000 (rolling 24 hours). 5,000 to send at 9,000 a "
                                  "day: 1,200 go now, the rest from 09:35 tomorrow as the window frees")
    assert budget.plan(1_000) == "Budget left today: 1,200 of 9,000 (rolling 24 hours)"
    assert BudgetToday(0, 12, now).plan(50_000) == "No daily limit (12 sent in the last 24 hours)"
