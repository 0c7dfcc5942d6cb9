"""`mail check --deliverability`: send one real bulletin-shaped message to the team mailbox, read it back over
IMAP and report what the receiving server made of it (SPF, DKIM, DMARC, alignment, one-click unsubscribe, size,
plain text), then delete it so the inbox fetch never sees it.

The message is built by the send's own builder (`bulletin_builder`, as `send --test-to` builds one), so its headers
are the real ones: List-Unsubscribe(-Post), List-Id, Message-ID, the bulk headers, a plain and an HTML part. The
IMAP connection is opened (and the folder selected) before anything is sent: a mailbox that cannot be read is
refused with nothing sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from ...config import Settings
from ...domain.errors import DomainError
from ...mailbox.folder import ImapFolder
from ...mailbox.imap import resolved_imap
from ...sending.transport import Outcome, Transport
from ..context import AppContext
from ..inbox.connect import open_mailbox
from .deliverability_imap import Fetched, wait_for_message
from .deliverability_message import deliverability_message
from .deliverability_verdicts import Verdict, received_verdicts

WAIT_SECONDS = 120.0
POLL_SECONDS = 2.0
_MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^<>\r\n]+>)", re.M | re.I)


@dataclass
class DeliverabilityReport:
    """What was sent, whether it came back, and one verdict per check."""

    sender: str
    to: str
    folder: str
    message_id: str = ""
    sent: str = ""
    arrived_after_s: float | None = None
    size: int | None = None
    authentication_results: str = ""
    removed: str = ""
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.verdicts) and all(v.ok for v in self.verdicts)

    def lines(self) -> list[str]:
        head = [f"Sent {self.message_id} from {self.sender} to {self.to}: {self.sent or 'not sent'}"]
        if self.authentication_results:
            head.append(f"Authentication-Results: {self.authentication_results}")
        tail = [f"Test message: {self.removed}"] if self.removed else []
        verdict = "All checks OK." if self.ok else f"{sum(not v.ok for v in self.verdicts)} problem(s)."
        return [*head, *(v.line() for v in self.verdicts), *tail, verdict]

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "from": self.sender, "to": self.to, "folder": self.folder,
                "message_id": self.message_id, "sent": self.sent, "arrived_after_s": self.arrived_after_s,
                "size": self.size, "authentication_results": self.authentication_results, "removed": self.removed,
                "checks": [v.as_json() for v in self.verdicts]}


def team_mailbox(settings: Settings) -> str:
    """Where the test goes: the address the IMAP account reads, else the From address (the return mailbox)."""
    username = resolved_imap(settings).username.strip()
    return username if "@" in username else settings.sender.from_address.strip()


def refuse_unless_ready(settings: Settings) -> None:
    """One-line DomainError when the check cannot run: no SMTP server (the outbox) or no mailbox to read."""
    if not settings.smtp.host:
        raise DomainError("mail check --deliverability sends a real message, but no SMTP server is configured "
                          "(messages go to the outbox folder): set [smtp] host")
    if not settings.imap.host:
        raise DomainError("mail check --deliverability reads the message back, but no team mailbox is configured: "
                          "set [imap] host (see docs/microsoft-365.md)")


async def check_deliverability(ctx: AppContext, *, wait_s: float = WAIT_SECONDS, poll_s: float = POLL_SECONDS,
                               transport: Transport | None = None) -> DeliverabilityReport:
    """Send, read back, judge, delete. DomainError (nothing sent) when the settings or the mailbox refuse."""
    settings = ctx.settings
    refuse_unless_ready(settings)
    report = DeliverabilityReport(settings.sender.from_address, team_mailbox(settings), settings.imap.folder)
    message = deliverability_message(ctx, report.to)
    found = _MESSAGE_ID.search(message.split(b"\r\n\r\n", 1)[0])
    if found is None:  # never searched for (nor deleted) by an empty or partial id
        raise DomainError("the test message has no Message-ID; nothing was sent")
    report.message_id = found.group(1).decode("ascii")
    client = await asyncio.to_thread(open_mailbox, ctx)
    try:
        box = await asyncio.to_thread(ImapFolder, client, settings.imap.folder)
        if await _send(ctx, report, message, transport):
            fetched = await _read_back(box, report, wait_s, poll_s)
            if fetched is not None:
                _judge(ctx, report, fetched)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            await asyncio.to_thread(client.logout)
    return report


async def _send(ctx: AppContext, report: DeliverabilityReport, message: bytes, transport: Transport | None) -> bool:
    """The way `send --test-to` goes (the one pipeline, counted in the budget); a refusal becomes the `delivered`
    verdict."""
    from ..mailings.single import deliver_one

    delivery = await deliver_one(ctx, report.to, message, sender=report.sender, transport=transport)
    report.sent = delivery.summary
    if delivery.outcome is Outcome.SENT:
        return True
    report.verdicts.append(Verdict("delivered", False, f"the SMTP server did not take it: {delivery.summary}",
                                   "run `bulletin-tui mail check` and fix the step it names"))
    return False


async def _read_back(box: ImapFolder, report: DeliverabilityReport, wait_s: float, poll_s: float) -> (
        Fetched | None):
    """Poll the folder for the Message-ID; a mailbox error after the send is a verdict, not an exception."""
    started = time.monotonic()
    try:
        fetched = await asyncio.to_thread(wait_for_message, box, report.message_id, wait_s, poll_s)
    except (DomainError, OSError, imaplib.IMAP4.error) as exc:
        report.verdicts.append(Verdict("delivered", False, f"sent, but reading {report.folder} failed: {exc}",
                                       f"delete the test message {report.message_id} from {report.to} by hand"))
        return None
    if fetched is None:
        report.verdicts.append(Verdict(
            "delivered", False, f"not in {report.folder} of {report.to} after {wait_s:.0f} s",
            f"look in the Junk folder (then ask IT why it was judged spam) or ask IT to trace {report.message_id}; "
            "delete it by hand when it turns up"))
        return None
    report.arrived_after_s = round(time.monotonic() - started, 1)
    report.size, report.removed = fetched.size, fetched.removed
    report.verdicts.append(Verdict("delivered", True, f"in {report.folder} after {report.arrived_after_s:g} s"))
    return fetched


def _judge(ctx: AppContext, report: DeliverabilityReport, fetched: Fetched) -> None:
    from_domain = report.sender.rpartition("@")[2].strip().lower()
    header, verdicts = received_verdicts(fetched.raw, fetched.size, from_domain,
                                         ctx.settings.imap.trusted_authserv_id)
    report.authentication_results = header
    report.verdicts += verdicts
