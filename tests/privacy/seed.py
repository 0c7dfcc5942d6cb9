"""A data folder seeded over three simulated years (March 2023 to November 2026) through the services, each step at
its own fixed instant: subscribers imported and joining, people leaving, sessions with registrations, invites and
attendance, questionnaires, bulletins sent to the list (ledgers and outbox copies), inbox records, web requests, an
export and a log. `FIXED_NOW` (22 November 2026) is "today" for the retention run."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from bulletin_tui.config import Settings
from bulletin_tui.domain.bounces import BounceScore, Severity
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.domain.times import london_time
from bulletin_tui.locations import exports_dir
from bulletin_tui.sending.ledger import Ledger, stamp
from bulletin_tui.services.bulletins.assembly import add_item
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.feedback.imports import import_feedback
from bulletin_tui.services.inbox.drafts import AttachmentInfo, ContributionDraft, drafts_table
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
from bulletin_tui.services.sessions.attendance import mark_attendance
from bulletin_tui.services.sessions.catalogue import create_session
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.services.subscribers.export import export_csv
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe
from bulletin_tui.services.subscribers.suppression import suppress
from bulletin_tui.services.web.journal_apply import apply_pending
from bulletin_tui.storage.journal import Journal

LIST = "e-bulletin"
STAYERS = [f"stayer{n:02d}@district.example" for n in range(1, 17)]
LEFT_2023 = [f"leaver{n:02d}@police.example" for n in range(1, 5)]  # left September 2023
LEFT_2024 = [f"leaver{n:02d}@police.example" for n in range(5, 8)]  # left June 2024
LEFT_2025 = ["leaver08@police.example", "leaver09@police.example"]  # left March 2025: not yet due
JOINED = {2024: [f"joiner24-{n}@charity.example" for n in range(1, 5)],
          2025: [f"joiner25-{n}@charity.example" for n in range(1, 5)],
          2026: [f"joiner26-{n}@charity.example" for n in range(1, 4)]}
GUEST = "guest.speaker@partner.example"
REMOVED = LEFT_2023 + LEFT_2024
"""The people the retention run removes entirely (their other records are all older than their periods too)."""
BULLETINS = ["2023-05-10", "2023-09-13", "2024-01-10", "2024-05-15", "2024-09-11", "2025-01-15", "2025-05-14",
             "2025-09-10", "2026-01-14", "2026-05-13", "2026-09-09"]
SESSIONS = ["2023-06-14", "2023-10-11", "2024-02-07", "2024-06-12", "2024-10-09", "2025-02-05", "2025-06-11",
            "2025-10-08", "2026-02-04", "2026-06-10", "2026-10-14", "2026-12-09"]
NOT_RECORDED = "csis-2024-02-07"
"""The session whose attendance was never recorded (the report says so)."""
FEEDBACK = {"csis-2023-06-14": True, "csis-2024-10-09": False, "csis-2025-10-08": True}
"""Sessions with questionnaires imported, and whether names were kept."""


@dataclass
class Seeded:
    data_dir: Path
    removed: list[str] = field(default_factory=lambda: list(REMOVED))


def day(text: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(text).replace(hour=hour, tzinfo=UTC)


Step = tuple[datetime, Callable[[AppContext], object]]


def _at(ctx: AppContext, moment: datetime) -> None:
    ctx.clock = FixedClock(moment)


def _people(tmp: Path) -> list[Step]:
    def first_import(ctx: AppContext) -> None:
        add_list(ctx, LIST, "Community Safety e-Bulletin", public=True)
        csv = tmp / "first-list.csv"
        csv.write_text("Email,Name,Organisation\n" + "".join(
            f"{a},{a.split('@')[0].title()},{a.split('@')[1]}\n" for a in STAYERS + LEFT_2023 + LEFT_2024))
        import_file(ctx, csv, LIST)

    def joining(people: list[str]) -> Callable[[AppContext], None]:
        return lambda ctx: [add_subscriber(ctx, a, name=a.split("@")[0].title(), list_name=LIST) for a in people]

    def leaving(people: list[str]) -> Callable[[AppContext], None]:
        return lambda ctx: [unsubscribe(ctx, a, source="unsubscribe link", reference="seed") for a in people]

    return [(day("2023-03-20"), first_import), (day("2024-05-08"), joining(JOINED[2024] + LEFT_2025)),
            (day("2025-05-07"), joining(JOINED[2025])), (day("2026-05-06"), joining(JOINED[2026])),
            (day("2023-09-20"), leaving(LEFT_2023)), (day("2024-06-19"), leaving(LEFT_2024)),
            (day("2025-03-12"), leaving(LEFT_2025))]


def _subscribed_on(moment: datetime) -> list[str]:
    people = list(STAYERS)
    people += LEFT_2023 if moment < day("2023-09-20") else []
    people += LEFT_2024 if moment < day("2024-06-19") else []
    people += LEFT_2025 if day("2024-05-08") <= moment < day("2025-03-12") else []
    for year, joined in JOINED.items():
        people += joined if moment >= day(f"{year}-05-06") else []
    return people


def _sessions(tmp: Path) -> list[Step]:
    steps: list[Step] = []
    for number, date_text in enumerate(SESSIONS):
        start = london_time(datetime.fromisoformat(f"{date_text} 10:00"))
        slug = f"csis-{date_text}"
        people = _subscribed_on(start - timedelta(days=20))
        chosen = [people[(number * 5 + k) % len(people)] for k in range(5)] + ([GUEST] if number % 4 == 1 else [])
        chosen = list(dict.fromkeys(chosen + ([LEFT_2023[0]] if number == 0 else [])))  # a leaver came first

        def create(ctx: AppContext, slug: str = slug, start: datetime = start) -> None:
            create_session(ctx, slug=slug, title=f"Community Safety Information Session {slug[5:12]}",
                           start=start, end=start + timedelta(hours=1, minutes=30), topics=["Road Safety"])

        def registering(ctx: AppContext, slug: str = slug, chosen: list[str] = chosen) -> None:
            for address in chosen:
                register(ctx, slug, address, name=address.split("@")[0].title(), organisation="Kent")
            deliver_pending(ctx, slug)  # the invites: outbox copies and the session-mail ledger

        def afterwards(ctx: AppContext, slug: str = slug, chosen: list[str] = chosen) -> None:
            if slug != NOT_RECORDED:
                for k, address in enumerate(chosen):
                    mark_attendance(ctx, slug, address, k % 4 != 3)
            if slug in FEEDBACK:
                _feedback(ctx, tmp, slug, chosen[:4], keep_names=FEEDBACK[slug])

        steps += [(start - timedelta(days=40), create), (start - timedelta(days=20), registering)]
        steps += [(start + timedelta(days=1), afterwards)] if start < day("2026-11-22") else []
    return steps


def _feedback(ctx: AppContext, tmp: Path, slug: str, people: list[str], *, keep_names: bool) -> None:
    header = ("ID,Start time,Completion time,Email,Name,How would you rate the delivery of the training?,"
              "How would you rate the content?,Any other comments or suggestions?\n")
    when = ctx.clock.now().strftime("%Y-%m-%d 15:0{}:00")
    words = ["Excellent", "Good", "Average", "Good"]
    rows = [f"{n + 1},{when.format(n)},{when.format(n + 1)},{a},{a.split('@')[0].title()},{words[n]},{words[-n]},"
            f"\"Comment {n + 1} from {a.split('@')[0]}\"\n" for n, a in enumerate(people)]
    path = tmp / f"{slug}-feedback.csv"
    path.write_text(header + "".join(rows))
    import_feedback(ctx, slug, path, keep_names=keep_names)


def _bulletins() -> list[Step]:
    steps: list[Step] = []
    for date_text in BULLETINS:
        slug = date_text[:7]

        def assemble(ctx: AppContext, slug: str = slug) -> None:
            create_issue(ctx, slug)
            for n in range(3):
                add_item(ctx, slug, title=f"News {slug} #{n + 1}", category="news", summary="Partnership news.",
                         link="https://www.kent.gov.uk/news")

        def sending(ctx: AppContext, slug: str = slug) -> None:
            asyncio.run(send_bulletin(ctx, slug, LIST, force=True, rate_per_minute=0))

        steps += [(day(date_text, 8), assemble), (day(date_text, 9), sending)]
    return steps


def _mailbox(ctx: AppContext) -> None:
    """Inbox records (as `inbox fetch` keeps them, with their own dates), a hard bounce noted in a ledger, a
    partner's contribution."""
    messages, actions, scores = inbox_messages(ctx), inbox_actions(ctx), bounce_scores(ctx)
    for n, (moment, sender, subject) in enumerate((
            ("2023-09-20", LEFT_2023[0], "Please unsubscribe me"), ("2024-03-05", STAYERS[2], "A question"),
            ("2025-06-20", JOINED[2024][1], "Out of office"), ("2026-10-01", JOINED[2025][0], "Thank you"))):
        messages.put(InboxMessage(key=f"<seed-{n}@example>", received_at=day(moment), sender=sender,
                                  subject=subject, kind="reply", state=MessageState.REVIEW, note=f"From {sender}"))
    for n, (moment, person) in enumerate((("2023-09-20", LEFT_2023[0]), ("2024-09-12", LEFT_2024[1]))):
        actions.put(InboxAction(id=f"A{n + 1:05d}", at=day(moment), message=f"<seed-{n}@example>", action="bounce",
                                person=person, detail=f"bounce for {person}", undo={"person": person}))
    for person, moment in ((LEFT_2024[1], "2024-09-12"), (JOINED[2024][2], "2025-06-20"),
                           (JOINED[2026][0], "2026-10-01")):
        scores.put(BounceScore(key=person, score=1.0, hard=1, last_day=day(moment).date(),
                               last_severity=Severity.HARD, last_campaign="seed"))
    ledger = Ledger(ledger_path(ctx, f"bulletin-2023-09-{LIST}"))
    ledger.append({"at": stamp(ctx.clock.now()), "event": "bounced", "recipient": LEFT_2023[1], "status": "5.1.1",
                   "reply": "550 5.1.1 user unknown"})
    ledger.close()
    suppress(ctx, LEFT_2023[1], "hard bounce", campaign=f"bulletin-2023-09-{LIST}")
    kept = ctx.data_dir / "contributions" / "seed" / "poster.pdf"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"%PDF-1.4 poster from " + LEFT_2024[0].encode())
    drafts_table(ctx).put(ContributionDraft(
        key="<offer@partner.example>", received_at=day("2024-04-10"), title="Poster", contact_name="Leaver Five",
        contact_email=LEFT_2024[0], attachments=[AttachmentInfo(filename="poster.pdf", kept_as=str(
            kept.relative_to(ctx.data_dir)))]))


def _web(moment: str, address: str) -> Step:
    """A confirmed sign-up from the web face, applied when it arrived."""

    def apply(ctx: AppContext) -> None:
        journal = Journal(ctx.data_dir)
        journal.write([{"id": f"seed-{moment}", "at": day(moment).isoformat(), "kind": "signup_confirmed",
                        "request": {"email": address, "lists": [LIST], "name": "Web Person", "at": moment}}])
        journal.close()
        apply_pending(ctx)

    return day(moment), apply


def _export_and_log(ctx: AppContext) -> None:
    old = exports_dir(ctx.data_dir) / "subscribers-2026-06.csv"
    export_csv(ctx, old)
    os.utime(old, (day("2026-06-01").timestamp(),) * 2)
    log = ctx.data_dir / "logs" / "tui-errors.log"
    log.parent.mkdir(mode=0o700, exist_ok=True)
    log.write_text(f"--- 2026-01-15T10:00:00Z erase\nDomainError: nothing is held about {LEFT_2023[2]}\n"
                   "--- 2026-11-20T09:00:00Z send\nOSError: disk full\n")


def seed_three_years(data_dir: Path, tmp: Path) -> Seeded:
    """Build the folder (about 10 s); the caller copies it for each test."""
    ctx = open_context(Settings(data_dir=data_dir), create=True, clock=FixedClock(day("2023-03-20")))
    ctx.operator = "seed"
    steps = [*_people(tmp), *_sessions(tmp), *_bulletins(), (day("2023-09-14"), _mailbox),
             (day("2026-06-01"), _export_and_log), _web("2026-11-10", "web.one@council.example"),
             _web("2026-11-12", "web.two@council.example")]
    try:
        for moment, step in sorted(steps, key=lambda s: s[0]):
            _at(ctx, moment)
            step(ctx)
    finally:
        ctx.close()
    return Seeded(data_dir)


def read_json(path: Path) -> object:
    return orjson.loads(path.read_bytes())
