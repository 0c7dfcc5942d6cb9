"""The mailing runner: sends one message per recipient through a transport, recording every step in the ledger.
(Its class is still `Campaign`, and a ledger's id a "campaign id", as the files on disk are named.)

Used by bulletin sends and by session invites/reminders. Rules (docs/send-engine.md; docs/ARCHITECTURE.md "The
send path"):
- the audience is snapshotted into the ledger (`queued`) when the campaign is created;
- right before each send, `skip_reason(recipient)` re-checks unsubscribes and erasures (-> `skipped`);
- `attempting` is fsynced (group commit, in a thread, shared by every connection waiting for it) before the
  message data goes: the transport awaits `before_data` right before DATA; `sent` only after the server's 250;
- 4xx -> `deferred`, retried with doubling backoff up to `max_retries`; 5xx on RCPT -> `failed` (hard bounces
  go to `on_hard_bounce` once `refusals.RefusalWatch` has seen they are recipient-specific); the same refusal
  for everyone pauses the run and requeues them; quota/auth/TLS trouble pauses the run and fails nobody; so do
  N server errors in a row (deferrals, dropped connections, unknown outcomes; a refused address does not count);
- a run that was killed leaves `attempting` records: the next run marks them `uncertain` and never resends them
  unless the operator asks (`resend_uncertain`); `retry_failed` requeues failed and given-up recipients.

`pause()`, `resume()` and `cancel()` may be called from another task (the TUI). Operator pause waits in `run()`
for resume or cancel; a pause the engine decides (quota, errors, daily allowance) ends `run()` with PAUSED.
What a run writes to the ledger, and how it counts recipients by state, is `bookkeeping.RunBook`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import Any

from ..domain.clock import Clock
from ..storage.appendlog import AppendError
from .bookkeeping import RunBook, message_id_of
from .ledger import Ledger, RecipientState, State, stamp, stamp_epoch
from .pacing import Pacing
from .progress import CampaignResult, Progress, Recipient, RunOptions, RunStatus, duration_text
from .queue import RecipientQueue
from .ratelimit import RateLimiter
from .refusals import RefusalWatch, Verdict
from .runlock import RunLock
from .scrub import build_error
from .transport import Delivery, Outcome, Transport

MessageFactory = Callable[[Recipient], bytes]
SkipCheck = Callable[[Recipient], str | None]
BounceHook = Callable[[Recipient, Delivery], None]
ProgressHook = Callable[[Progress], None]


class Campaign:
    """One run over a campaign ledger."""

    def __init__(
        self, ledger: Ledger, transport: Transport, build: MessageFactory, *, envelope_from: str, clock: Clock,
        limiter: RateLimiter | None = None, options: RunOptions | None = None, skip_reason: SkipCheck | None = None,
        on_hard_bounce: BounceHook | None = None, on_progress: ProgressHook | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None, address_of: Callable[[str], str] | None = None,
    ) -> None:
        self.ledger, self.transport, self.build = ledger, transport, build
        self.envelope_from, self.clock, self.limiter = envelope_from, clock, limiter
        self.options = options or RunOptions()
        self.skip_reason, self.on_hard_bounce, self.on_progress = skip_reason, on_hard_bounce, on_progress
        self._sleep = sleep
        self.book = RunBook(ledger, clock, on_write_failure=self._ledger_unwritable, address_of=address_of)
        """The run's ledger records and counts; `address_of` gives each key's address for a ledger without them."""
        widen = getattr(transport, "use_connections", None)
        if widen is not None:  # --concurrency N means N connections, not N messages queued for fewer
            widen(self.options.concurrency)
        self._queue = RecipientQueue()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._free_slots = self.options.concurrency
        self._slot_freed = asyncio.Event()
        self._paused = self._cancelled = False
        self._engine_pause = ""
        self._consecutive_errors = 0
        self._refusals: RefusalWatch[RecipientState] = RefusalWatch(streak=self.options.same_refusal_streak)
        self._pacing = Pacing(self.options, self._now())
        self.run_lock: RunLock | None = None
        """This process's claim on the campaign (`RunLock`), given back by `close()`."""

    # -- control (callable from another task) -------------------------------------------------------------
    def pause(self) -> None:
        """Finish the messages in flight, then wait for resume() or cancel()."""
        self._paused = True
        self._wake.set()

    def resume(self) -> None:
        self._paused = False
        self._wake.set()

    def cancel(self) -> None:
        """Stop after the messages in flight; the campaign can be resumed later."""
        self._cancelled = True
        self._wake.set()

    @property
    def paused(self) -> bool:
        return self._paused

    async def close(self) -> None:
        """Release the transport's connections, the ledger and the rate log."""
        try:
            await self.transport.close()
        finally:
            self.ledger.close()
            if self.limiter:
                self.limiter.close()
            if self.run_lock is not None:
                self.run_lock.release()

    # -- preparing -------------------------------------------------------------------------------------------
    def prepare(self, *, retry_failed: bool = False, resend_uncertain: bool = False,
                only: Collection[str] | None = None) -> None:
        """Load the ledger (`only` these keys: one run over a long-lived ledger); interrupted attempts become
        uncertain; queue what may be sent."""
        self.book.load(only)
        now = self._now()
        for person in self.book.states.values():
            if person.state is State.ATTEMPTING:
                self.book.record(person, State.UNCERTAIN, reply="interrupted after the attempt began; not resent")
            requeue = (retry_failed and (person.state is State.FAILED or person.gave_up)) or (
                resend_uncertain and person.state is State.UNCERTAIN)
            if requeue and not person.erased:
                self.book.record(person, State.QUEUED, reply="requeued by the operator")
        self.book.recount()
        for person in self.book.states.values():
            if person.state is State.QUEUED or (person.state is State.DEFERRED and person.paused_retry):
                self._queue.add(person)
            elif person.state is State.DEFERRED and not person.gave_up:
                due = stamp_epoch(person.retry_at) if person.retry_at else now
                self._queue.retry(person, due)
        self.ledger.commit_now()

    # -- running ---------------------------------------------------------------------------------------------
    async def run(self) -> CampaignResult:
        """Send until everyone is done, the engine pauses, or the operator cancels."""
        if not self.book.states:
            self.prepare()
        self._pacing = Pacing(self.options, self._now())
        self.book.event("run-started")
        try:
            await self._dispatch()
        finally:
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)
            self._suppress(self._refusals.finish())
            self.ledger.commit_now()
        result = self._result()
        with contextlib.suppress(AppendError):  # the reason is in the result either way
            self.book.event(f"run-{result.status.value}", reason=result.reason)
        self.ledger.commit_now()
        self._emit(result.status.value, result.reason)
        return result

    async def _dispatch(self) -> None:
        while not (self._cancelled or self._engine_pause):
            if self._paused:
                await self._wait_for_resume()
                continue
            if not self._queue.due(self._now()):
                if not await self._wait_for_work():
                    return
                continue
            wait = self._limit_wait()
            if wait > 0:
                if self.limiter and self.limiter.daily_delay() > self.options.max_rate_wait:
                    self._engine_pause = f"daily sending limit reached; next message possible in {wait / 3600:.1f} h"
                    break
                self._emit("waiting", self._pacing.wait_text(wait, self._now()))
                await self._nap(wait)
                continue
            if self._free_slots == 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            for person, message in self._fill_batch(self._free_slots):
                self._launch(person, message)

    def _limit_wait(self) -> float:
        return max(self._pacing.backoff(self._now()), self.limiter.delay() if self.limiter else 0.0)

    def _fill_batch(self, room: int) -> list[tuple[RecipientState, bytes]]:
        """Up to `room` recipients: checked, built and marked `attempting` (not yet synced)."""
        batch: list[tuple[RecipientState, bytes]] = []
        while len(batch) < room and self._limit_wait() <= 0:
            person = self._queue.take(self._now())
            if person is None:
                break
            try:
                message = self._prepare_attempt(person)
            except AppendError:  # nothing was recorded for them: back to the front of the queue, and stop
                self._queue.put_back(person)
                break
            if message is not None:
                batch.append((person, message))
        return batch

    def _prepare_attempt(self, person: RecipientState) -> bytes | None:
        """Re-check and build one message and record `attempting` (stamped when checked); None if skipped."""
        checked_at = stamp(self.clock.now())  # an unsubscribe answered after this came after the decision
        self.book.honour_redaction(person)
        recipient = Recipient(person.email, person.name, person.key)
        reason = "erased" if person.erased else (self.skip_reason(recipient) if self.skip_reason else None)
        if reason:
            self.book.record(person, State.SKIPPED, reply=reason)
            self._queue.settled()
            self._emit("running", last=person)
            return None
        try:
            message = self.build(recipient)
        except Exception as exc:  # one message that cannot be built never blocks the others
            self.book.record(person, State.FAILED, reply=f"not sent: {build_error(exc)}")
            self._queue.settled()
            self._emit("running", last=person)
            return None
        self.book.record(person, State.ATTEMPTING, at=checked_at)  # raises AppendError (nothing sent) if not written
        if self.limiter:
            self.limiter.record()
        return message

    def _launch(self, person: RecipientState, message: bytes) -> None:
        self._free_slots -= 1
        task = asyncio.create_task(self._attempt(person, message))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _attempt(self, person: RecipientState, message: bytes) -> None:
        try:
            # MAIL and RCPT overlap the fsync; DATA waits until this `attempting` is durable (group commit)
            delivery = await self.transport.deliver(self.envelope_from, person.email, message,
                                                    before_data=self.ledger.commit)
        except Exception as exc:  # a transport bug must not lose the recipient's state
            delivery = Delivery(Outcome.UNCERTAIN, reply=f"unexpected {type(exc).__name__}: {exc}")
        finally:
            self._free_slots += 1
            self._slot_freed.set()
        with contextlib.suppress(AppendError):  # the run stops; their `attempting` makes them uncertain on resume
            self._settle(person, delivery, message)

    def _settle(self, person: RecipientState, delivery: Delivery, message: bytes) -> None:
        outcome, details = delivery.outcome, {"code": delivery.code, "reply": delivery.summary}
        self._queue.settled()
        if outcome is Outcome.SENT:
            self.book.record(person, State.SENT, message_id=message_id_of(message), **details)
            self._consecutive_errors = 0
            self._pacing.delivered(self._now())
            self._suppress(self._refusals.delivered().confirmed)
        elif outcome is Outcome.PAUSE:
            self.book.record(person, State.DEFERRED, paused=True, **details)
            self._queue.add(person, front=True)
            self._engine_pause = f"server refused the account or the connection: {delivery.summary}"
        elif outcome is Outcome.DEFERRED:
            self._defer(person, delivery, details)
        else:
            state = State.FAILED if outcome is Outcome.FAILED else State.UNCERTAIN
            self.book.record(person, state, **details)
            if outcome is Outcome.FAILED and delivery.code is not None:
                self._judge(self._refusals.refused(person, delivery, person.email))
            if outcome is Outcome.UNCERTAIN:  # a refused address is that person's problem, not the server's
                self._count_error(delivery)
        self._emit("running", last=person)

    def _judge(self, verdict: Verdict[RecipientState]) -> None:
        """The same refusal for everyone is a server problem: those recipients go back to the queue."""
        for person in verdict.requeue:
            self.book.record(person, State.QUEUED, reply="requeued: the server refused everyone the same way")
            self._queue.add(person)
        if verdict.requeue and not self._engine_pause:
            self._engine_pause = verdict.reason
        self._suppress(verdict.confirmed)

    def _suppress(self, bounces: list[tuple[RecipientState, Delivery]]) -> None:
        """Hard bounces the refusal watch has confirmed as recipient-specific."""
        for person, delivery in bounces:
            if self.on_hard_bounce and person.state is State.FAILED and not person.erased:
                self.on_hard_bounce(Recipient(person.email, person.name, person.key), delivery)

    def _defer(self, person: RecipientState, delivery: Delivery, details: dict[str, Any]) -> None:
        if delivery.unreachable:  # the server's problem: nobody's retries are used up; the stall rule pauses
            self.book.record(person, State.DEFERRED, paused=True, **details)
            self._queue.add(person, front=True)
            self._engine_pause = self._engine_pause or self._pacing.trouble(delivery, self._now())
            return
        if person.deferrals + 1 > self.options.max_retries:
            self.book.record(person, State.DEFERRED, gave_up=True, **details)
        else:
            delay = min(self.options.retry_base * 2**person.deferrals, self.options.retry_cap)
            due = self._now() + delay
            self.book.record(person, State.DEFERRED, retry_at=stamp(datetime.fromtimestamp(due, UTC)), **details)
            self._queue.retry(person, due)
        if delivery.connection_error:
            self._pacing.trouble(delivery, self._now())
        self._count_error(delivery)

    def _count_error(self, delivery: Delivery) -> None:
        self._consecutive_errors += 1
        if self._consecutive_errors >= self.options.max_consecutive_errors and not self._engine_pause:
            self._engine_pause = f"{self._consecutive_errors} errors in a row; last: {delivery.summary}"

    # -- waiting -------------------------------------------------------------------------------------------
    async def _wait_for_work(self) -> bool:
        """Wait for in-flight results or the next retry; False when nothing is left to do."""
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), return_when=asyncio.FIRST_COMPLETED)
            return True
        due = self._queue.next_retry()
        if due is None:
            return False
        self._emit("waiting", f"retrying deferred recipients in {duration_text(due - self._now())}")
        await self._nap(due - self._now())
        return True

    async def _wait_for_resume(self) -> None:
        self._emit("paused", "paused by the operator")
        while self._paused and not self._cancelled:
            self._wake.clear()
            await self._wake.wait()

    async def _nap(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self._sleep is not None:
            await self._sleep(seconds)
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    # -- records and reporting -------------------------------------------------------------------------------
    def _ledger_unwritable(self, exc: AppendError) -> None:
        """A ledger record could not be written whole (a full disk): the run stops; no message goes out unless its
        `attempting` is on disk, so a resume never sends anyone twice."""
        if not self._engine_pause:
            self._engine_pause = (f"the send ledger could not be written ({exc.strerror or exc}): nothing more "
                                  "was sent. Free some disk space, then resume; nobody is sent to twice")
        self._wake.set()

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _remaining(self) -> int:
        return self._queue.remaining()

    def _emit(self, state: str, reason: str = "", last: RecipientState | None = None) -> None:
        if self.on_progress is None:
            return
        now, remaining = self._now(), self._remaining()
        self.on_progress(Progress(
            total=len(self.book.states), counts=self.book.tally(), pending=remaining,
            rate=self._pacing.rate(now), eta_seconds=self._eta(remaining, now), state=state, reason=reason,
            last_email=last.email if last else "", last_state=last.state.value if last else "",
            last_key=last.key if last else ""))

    def _eta(self, remaining: int, now: float) -> float | None:
        """Known waits (backoff, rate limit, the next retry when only retries are left) plus sending time."""
        known = self._limit_wait()
        due = self._queue.next_retry()
        if due is not None and self._queue.only_retries_left():
            known = max(known, due - now)
        per_minute = self.limiter.per_minute if self.limiter else 0
        return self._pacing.eta(remaining, now, known_wait=known, per_minute=per_minute)

    def _result(self) -> CampaignResult:
        counts = self.book.tally()
        if self._engine_pause:
            status, reason = RunStatus.PAUSED, self._engine_pause
        elif self._cancelled and self._remaining():
            status, reason = RunStatus.STOPPED, "stopped by the operator"
        else:
            status, reason = RunStatus.COMPLETE, ""
        return CampaignResult(status, reason, counts, len(self.book.states))

