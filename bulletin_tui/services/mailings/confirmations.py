"""Confirmation e-mails for the web face's double opt-in, sent the one way every message is sent: a durable campaign
(`ledgers/confirmations/web.jsonl`, one message per request, keyed by the request's id) run by the campaign runner,
with its ledger, still-wanted check, uncertain state and the installation's rate limits and transport (OAuth2
included). The web face never opens a mail connection: it journals the request with the confirmation's text and
signed link; whoever applies the journal queues it here (`queue`) and sends what is queued (`send_queued`). The
message is built from the journal entry, so the address and link are kept nowhere else."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any

from ...config import Settings
from ...domain.errors import DomainError
from ...locations import confirmations_ledger as ledger_file
from ...rendering.footer import privacy_text_lines
from ...sending.ledger import Ledger, State, fold, read_records, stamp
from ...sending.mailing import Campaign
from ...sending.progress import CampaignResult, Recipient
from ...sending.runlock import CampaignBusyError, RunLock
from ...sending.transport import Transport
from ...storage.journal import entry_time, journal_path, read_journal
from ..context import AppContext
from ..mailauth.wiring import transport_for
from ..subscribers.suppression import suppression_check
from .runs import on_fresh_data, rate_limiter, run_options

LINK_LIFETIME = timedelta(hours=48)
REQUESTED = ("signup_requested", "registration_requested")


def confirmation_message(settings: Settings, to: str, subject: str, intro: str, link: str) -> bytes:
    sender = settings.sender
    message = EmailMessage()
    message["From"] = formataddr((sender.team_name, sender.from_address))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.identity_domain)
    message["Auto-Submitted"] = "auto-generated"
    privacy = "\n".join(privacy_text_lines(sender.privacy_notice_url))
    message.set_content(f"{intro}\n\nTo confirm, open this link within 48 hours:\n{link}\n\nIf you did not ask for "
                        f"this, ignore this message: nothing happens until the link is followed.\n\n"
                        f"{sender.team_name}\n{sender.telephone}\n" + (f"\n{privacy}\n" if privacy else ""))
    return message.as_bytes()


def queue(ctx: AppContext, entries: list[dict[str, Any]]) -> int:
    """Queue a confirmation for each journalled request not queued before (the ledger is written before the
    journal entry is marked applied, so a crash between the two queues nothing twice); the number queued."""
    if not entries:
        return 0
    ledger = Ledger(ledger_file(ctx.data_dir))
    try:
        known, _ = ledger.states()
        at = stamp(ctx.clock.now())
        fresh = [{"at": at, "key": e["id"], "email": e["request"]["email"], "state": State.QUEUED.value}
                 for e in entries if e["id"] not in known]
        ledger.append_many(fresh)
        ledger.commit_now()
        return len(fresh)
    finally:
        ledger.close()


def waiting(data_dir: Path) -> bool:
    """Is any confirmation queued or waiting for a retry? (cheap: one read of a small ledger)"""
    path = ledger_file(data_dir)
    if not path.exists():
        return False
    states, _ = fold(read_records(path))
    return any(s.state is State.QUEUED or (s.state is State.DEFERRED and not s.gave_up) for s in states.values())


async def send_queued(ctx: AppContext, transport: Transport | None = None) -> CampaignResult | None:
    """Send every queued confirmation (None when nothing waits, or another process is sending them). A request
    whose link has expired, or whose address has been suppressed since, is skipped; one no longer in the journal
    (erased) fails, unsent."""
    if not waiting(ctx.data_dir):
        return None
    requests = {e["id"]: e for e in read_journal(journal_path(ctx.data_dir)).entries if e["kind"] in REQUESTED}
    suppressed, now = suppression_check(ctx), ctx.clock.now()

    def build(recipient: Recipient) -> bytes:
        entry = requests.get(recipient.key)
        if entry is None or not isinstance(entry.get("confirm"), dict):
            raise DomainError("the request is no longer in the journal (erased?)")
        text = entry["confirm"]
        return confirmation_message(ctx.settings, recipient.email, str(text["subject"]), str(text["intro"]),
                                    str(text["link"]))

    def skip(recipient: Recipient) -> str | None:
        entry = requests.get(recipient.key)
        if entry is not None and entry_time(entry["at"]) + LINK_LIFETIME < now:
            return "the confirmation link has expired"
        return "address is suppressed" if suppressed(recipient.email) else None

    lock = RunLock(ledger_file(ctx.data_dir), "the web face's confirmations")
    try:
        lock.acquire()
    except CampaignBusyError:
        return None  # another process is sending them now
    chosen = transport or transport_for(ctx.settings, ctx.data_dir)
    campaign = Campaign(Ledger(ledger_file(ctx.data_dir)), chosen, build,
                        envelope_from=ctx.settings.sender.from_address, clock=ctx.clock,
                        limiter=None if chosen.name == "outbox" else rate_limiter(ctx), options=run_options(ctx),
                        skip_reason=on_fresh_data(ctx, skip))
    campaign.run_lock = lock
    try:
        campaign.prepare()
        return await campaign.run()
    finally:
        await campaign.close()
