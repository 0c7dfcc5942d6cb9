"""What the worker does, one function per job; each catches up with other processes' saves first and returns one
line (counts and ids, never an address) for the log and the status file. Each is safe to repeat after a crash:
the journal records applied ids with their effect, the inbox records message keys with theirs, session mail and
confirmations have ledgers, reminders are keyed, a scheduled send is claimed in a write and sent from its ledger,
and the daily backup is made only when the folder has none from today."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from ...domain.times import LONDON
from ...sending.progress import Progress
from ...sending.runlock import CampaignBusyError
from ...storage.backups import backup_time, list_backups, make_backup
from ...storage.journal import journal_path
from ..context import AppContext
from ..mailings.handle import CampaignHandle
from ..schedule.sending import claim_next, send_claimed


def _counted(counts: Counter[str] | dict[str, int], empty: str) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counts.items()) if n) or empty


class Jobs:
    """The worker's jobs over one context; `stop()` pauses a running send between messages."""

    def __init__(self, ctx: AppContext, worker: str, *, on_progress: Callable[[str], None],
                 wake: Callable[[str], None]) -> None:
        self.ctx, self.worker, self._on_progress, self._wake = ctx, worker, on_progress, wake
        self._handle: CampaignHandle | None = None
        self.stopping = False

    def stop(self) -> None:
        self.stopping = True
        if self._handle is not None:
            self._handle.stop()

    async def journal(self) -> str:
        """Apply what the web face journalled (one-click unsubscribes, preferences, confirmed sign-ups)."""
        from ..web.journal_apply import apply_pending

        if not journal_path(self.ctx.data_dir).exists():
            return "no journal"
        self.ctx.store.refresh()
        applied = apply_pending(self.ctx)
        if applied.get("signup_requested") or applied.get("registration_requested"):
            self._wake("outbound")  # their confirmation e-mails were queued
        return "applied " + _counted(applied, "nothing (none pending)")

    async def outbound(self) -> str:
        """Send queued web confirmations and session mail (invites, updates, cancellations, reminders)."""
        from ..mailings.confirmations import send_queued
        from ..mailings.session_delivery import deliver_pending_async

        self.ctx.store.refresh()
        confirmed = await send_queued(self.ctx)
        confirmations = "none waiting" if confirmed is None else _counted(confirmed.counts, "none")
        try:
            delivered = await deliver_pending_async(self.ctx, None)
            session_mail = _counted(Counter(d.outcome.value for d in delivered), "none waiting")
        except CampaignBusyError:
            session_mail = "being sent by another process"
        return f"confirmations: {confirmations}; session mail: {session_mail}"

    async def reminders(self) -> str:
        """Queue the session reminders that are due (offsets per session kind); the outbound job sends them."""
        from ..sessions.reminders import queue_reminders

        self.ctx.store.refresh()
        queued = queue_reminders(self.ctx)
        if queued:
            self._wake("outbound")
        per_date = Counter(f"{q.session_slug} {q.hours}h" for q in queued)
        return f"{len(queued)} queued" + (f" ({_counted(per_date, '')})" if queued else "")

    async def scheduled(self) -> str:
        """Send each scheduled send that is due (or resume one a stopped or killed worker left), one at a time."""
        done: list[str] = []
        seen: set[str] = set()
        paused_retry = timedelta(minutes=self.ctx.settings.worker.paused_retry_minutes)
        while not self.stopping:
            self.ctx.store.refresh()
            entry = claim_next(self.ctx, self.worker, skip=seen)
            if entry is None:
                break
            seen.add(entry.id)
            label = f"#{entry.id} {entry.campaign_id}"
            self._on_progress(f"sending {label}")
            try:
                ended = await send_claimed(self.ctx, entry, paused_retry=paused_retry, on_handle=self._hold,
                                           on_progress=self._progress_of(label))
            finally:
                self._on_progress("")
            done.append(f"{label} {ended.state.value}: {ended.note}")
        return "; ".join(done) or "none due"

    def _hold(self, handle: CampaignHandle | None) -> None:
        self._handle = handle
        if handle is not None and self.stopping:
            handle.stop()

    def _progress_of(self, label: str) -> Callable[[Progress], None]:
        def show(progress: Progress) -> None:
            self._on_progress(f"sending {label}: {progress.done}/{progress.total} ({progress.state})")

        return show

    async def inbox(self) -> str:
        """`inbox fetch`: the mailbox steps in a thread, each batch applied here (the database's thread)."""
        from ..inbox.connect import folders, open_mailbox
        from ..inbox.fetch import InboxPass

        self.ctx.store.refresh()
        client = await asyncio.to_thread(open_mailbox, self.ctx)
        try:
            one_pass = InboxPass(self.ctx, client, folders(self.ctx),
                                 trust_sender=self.ctx.settings.imap.trust_sender)
            for uids in await asyncio.to_thread(one_pass.batches):
                messages = await asyncio.to_thread(one_pass.read, uids)
                await asyncio.to_thread(one_pass.file, one_pass.apply(messages))
            report = one_pass.finish()
        finally:
            await asyncio.to_thread(client.logout)
        handled = _counted(report.counts(), "nothing new")
        return f"{len(report.handled)} message(s): {handled}; {report.waiting_review} wait for review"

    async def teams(self) -> str:
        """Move or cancel Teams meetings of changed sessions, then take the attendance that is due (Graph)."""
        from ..teams.rounds import teams_round

        return await teams_round(self.ctx)

    async def retention(self) -> str:
        """The day's retention run ([retention] settings): removes or anonymises what is older than its period."""
        from ..privacy.retention import apply_retention

        self.ctx.store.refresh()
        result = apply_retention(self.ctx, dry_run=False)
        if result.run is None:
            return "nothing due"
        left = f"; {len(result.run.busy)} ledger(s) left for the next run" if result.run.busy else ""
        return "; ".join(f"{count} {name}" for name, count in result.run.counts.items()) + left

    async def backup(self) -> str:
        """The day's backup (Europe/London), unless the folder already has one from today."""
        now = self.ctx.clock.now()
        today = now.astimezone(LONDON).date()
        database = self.ctx.store.db.path
        found = [b for b in list_backups(database) if backup_time(b).astimezone(LONDON).date() == today]
        if found:
            return f"today's backup is there ({found[0].name})"
        made = make_backup(database, now)
        return f"made {made.name}" if made is not None else "no database to back up"


def next_london_day(now: datetime) -> datetime:
    """The first minute of the next calendar day in London (when the next daily backup is due)."""
    local = now.astimezone(LONDON)
    tomorrow = (local + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1, tzinfo=LONDON)
