"""One pass over the team mailbox: classify each message, apply its effect and record it in one write per batch,
then file it. Exactly once: a message already recorded (by Message-ID) is only filed again, never re-applied."""

from __future__ import annotations

import hashlib
import imaplib
import re
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from ...mailbox.classify import Kind, classify
from ...mailbox.folder import ImapFolder
from ...mailbox.message import Mail, body_text, header, headers_only, parse_mail
from ..context import AppContext
from ..partners.registry import partner_for
from ..subscribers.tokens import find_tokens
from .drafts import KIND as DRAFT_KIND
from .effects import Context, Outcome, apply
from .matching import sent_index
from .records import InboxMessage, MessageState, inbox_messages

BATCH = 50
BATCH_BYTES = 16_000_000
"""Bytes of mail one batch holds at most: with `[imap] max_message_mb` 15, a pass peaks at 186 MB whatever the mix
(benchmarks/bench_inbox_memory.py; eight 30 MB messages in one batch took 742 MB before)."""
_ID = re.compile(r"<[^<>\s]{1,250}>")


@dataclass
class Handled:
    """One message of this pass: where it was, what it is, what happened."""

    uid: int
    key: str
    kind: str
    state: MessageState
    sender: str = ""
    subject: str = ""
    note: str = ""
    actions: list[str] = field(default_factory=list)
    again: bool = False  # recorded by an earlier pass (crash before filing): only filed now


@dataclass
class FetchReport:
    folder: str
    handled: list[Handled] = field(default_factory=list)
    dry_run: bool = False
    waiting_review: int = 0

    def counts(self) -> Counter[str]:
        return Counter(h.kind for h in self.handled)


@dataclass
class Folders:
    inbox: str = "INBOX"
    processed: str = "bulletin-tui/processed"
    review: str = "bulletin-tui/needs-review"


class _DryRun(Exception):
    """Raised inside the batch transaction to throw every change away."""


def message_key(mail: Mail, raw: bytes) -> str:
    found = _ID.search(mail.message_id)
    return found.group(0) if found else "sha256:" + hashlib.sha256(raw).hexdigest()


def _received(mail: Mail, ctx: AppContext):  # type: ignore[no-untyped-def]
    try:
        when = parsedate_to_datetime(header(mail.message, "Date"))
        return when if when.tzinfo else ctx.clock.now()
    except (TypeError, ValueError, IndexError):
        return ctx.clock.now()


def _opening(mail: Mail) -> str:
    """The start of the body for the review queue, '' when it cannot be read."""
    try:
        return " ".join(body_text(mail)[:300].split())
    except Exception:  # noqa: BLE001 - only a preview: the message is kept whole in the mailbox
        return ""


def _record(ctx: AppContext, box: ImapFolder, uid: int, key: str, mail: Mail, kind: Kind, reason: str,
            outcome: Outcome) -> InboxMessage:
    entry = InboxMessage(
        key=key, mailbox=f"{box.name} {box.uidvalidity}:{uid}", received_at=_received(mail, ctx),
        sender=mail.sender[:200], subject=" ".join(mail.subject.split())[:200], kind=outcome.kind or kind.value,
        reason=reason[:200],
        state=outcome.state, actions=outcome.actions, suggestion=outcome.suggestion,
        note=(outcome.note or _opening(mail))[:300] if outcome.state is MessageState.REVIEW else outcome.note[:300])
    inbox_messages(ctx).put(entry)
    return entry


def _apply_batch(run: Context, box: ImapFolder, fresh: list[tuple[int, str, Mail]], dry_run: bool,
                 failed: dict[str, str]) -> list[Handled]:
    """All of a batch in one write; a message whose reading or effect raises is retried alone as 'review' (with
    the error), so one malformed message never stops the pass."""
    ctx, handled = run.app, []
    if dry_run and ctx.store.read_only:
        return [_classified_only(ctx, box, uid, key, mail) for uid, key, mail in fresh]
    known_failures = len(failed)
    try:
        with ctx.store.transaction():
            for uid, key, mail in fresh:
                if key in failed:
                    kind, reason = Kind.OTHER, "could not be read"
                    outcome = Outcome(MessageState.REVIEW, note=f"could not be applied: {failed[key]}"[:300])
                else:
                    try:
                        found = classify(mail, find_tokens)
                        kind, reason, outcome = found.kind, found.reason, apply(run, mail, found, key)
                    except Exception as exc:  # noqa: BLE001 - any bug in one message's effect: retry without it
                        failed[key] = f"{type(exc).__name__}: {exc}"
                        raise
                entry = _record(ctx, box, uid, key, mail, kind, reason, outcome)
                handled.append(Handled(uid, key, entry.kind, entry.state, entry.sender, entry.subject,
                                       entry.note, entry.actions))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except Exception:  # noqa: BLE001
        if len(failed) == known_failures:  # not one message's fault (or recording it failed too): a real error
            raise
        return _apply_batch(run, box, fresh, dry_run, failed)
    return handled


def _classified_only(ctx: AppContext, box: ImapFolder, uid: int, key: str, mail: Mail) -> Handled:
    """A dry run on a database open read-only (another writer holds it): the kind, not the effects."""
    found = classify(mail, find_tokens)
    state = MessageState.REVIEW if found.kind is Kind.OTHER else MessageState.APPLIED
    del box
    kind = found.kind.value
    if found.kind is Kind.OTHER and partner_for(ctx, mail.sender) is not None:
        kind = DRAFT_KIND  # from a known partner: a draft item (unless a person sees a registration request)
    return Handled(uid, key, kind, state, mail.sender, mail.subject,
                   f"{found.reason} (database open read-only: effects not worked out)")


def _file(box: ImapFolder, handled: list[Handled], folders: Folders) -> None:
    processed = [h.uid for h in handled if h.state is not MessageState.REVIEW]
    review = [h.uid for h in handled if h.state is MessageState.REVIEW]
    box.move(processed, folders.processed)
    if folders.review:
        box.move(review, folders.review)


class InboxPass:
    """One pass, in steps: the mailbox steps (`read`, `file`) may run in a worker thread, `apply` (the database)
    on the caller's thread. `fetch_inbox` runs them in order."""

    def __init__(self, ctx: AppContext, client: imaplib.IMAP4, folders: Folders | None = None, *,
                 dry_run: bool = False, trust_sender: str = "authenticated", batch: int = BATCH) -> None:
        self.ctx, self.folders, self.dry_run, self.batch = ctx, folders or Folders(), dry_run, batch
        self.box = ImapFolder(client, self.folders.inbox)
        self.run = Context(ctx, sent_index(ctx), trust_sender, dry_run=dry_run)
        self.report = FetchReport(folder=self.folders.inbox, dry_run=dry_run)
        self.known = inbox_messages(ctx)
        self.sizes: dict[int, int] = {}

    def batches(self) -> list[list[int]]:
        """The folder's UIDs now, in batches of at most `batch` messages and BATCH_BYTES (a message too big to
        read counts as its headers), so a pass holds a bounded amount of mail whatever the mix (mailbox)."""
        uids = self.box.uids()
        self.sizes = self.box.sizes(uids)
        batches: list[list[int]] = []
        held = 0
        for uid in uids:
            size = self.sizes.get(uid, 0)
            size = 0 if self._too_big(uid) else size
            if not batches or len(batches[-1]) >= self.batch or (held + size > BATCH_BYTES and batches[-1]):
                batches.append([])
                held = 0
            batches[-1].append(uid)
            held += size
        return batches

    def _too_big(self, uid: int) -> bool:
        return self.sizes.get(uid, 0) > self.ctx.settings.imap.max_message_mb * 1_000_000

    def read(self, uids: list[int]) -> list[tuple[int, str, Mail]]:
        """Fetch and parse a batch (mailbox; reads the database only to see which are known). A message over
        `[imap] max_message_mb` is fetched as its headers and goes to review unread."""
        big = [uid for uid in uids if self._too_big(uid)]
        read = [(uid, raw, parse_mail(raw)) for uid, raw in self.box.fetch([u for u in uids if u not in big]).items()]
        limit = self.ctx.settings.imap.max_message_mb
        read += [(uid, head, headers_only(head, self.sizes[uid], f"too large to read ({self.sizes[uid] / 1e6:.0f} "
                                                                 f"MB; the limit is {limit:g} MB)"))
                 for uid, head in self.box.fetch(big, headers_only=True).items()]
        return [(uid, message_key(mail, raw), mail) for uid, raw, mail in sorted(read, key=lambda r: r[0])]

    def apply(self, messages: list[tuple[int, str, Mail]]) -> list[Handled]:
        """Record a batch in one write (database); messages already recorded are only to be filed again."""
        fresh, again = [], []
        for uid, key, mail in messages:
            previous = self.known.get(key)
            if previous is None:
                fresh.append((uid, key, mail))
            else:
                again.append(Handled(uid, key, previous.kind, previous.state, previous.sender, previous.subject,
                                     previous.note, previous.actions, again=True))
        done = _apply_batch(self.run, self.box, fresh, self.dry_run, {}) + again
        self.report.handled += done
        return done

    def file(self, handled: list[Handled]) -> None:
        """Move the batch's messages to the processed or review folder (mailbox); nothing in a dry run."""
        if not self.dry_run:
            _file(self.box, handled, self.folders)

    def finish(self) -> FetchReport:
        rows = self.known.rows()
        self.report.waiting_review = sum(1 for m in rows if m.get("state") == MessageState.REVIEW.value)
        if self.dry_run:
            self.report.waiting_review += sum(
                1 for h in self.report.handled if h.state is MessageState.REVIEW and not h.again)
        return self.report


def fetch_inbox(ctx: AppContext, client: imaplib.IMAP4, folders: Folders | None = None, *, dry_run: bool = False,
                trust_sender: str = "authenticated", batch: int = BATCH) -> FetchReport:
    """Read every message in the folder, apply and record it (one write per batch), then file it."""
    one_pass = InboxPass(ctx, client, folders, dry_run=dry_run, trust_sender=trust_sender, batch=batch)
    for uids in one_pass.batches():
        one_pass.file(one_pass.apply(one_pass.read(uids)))
    return one_pass.finish()
