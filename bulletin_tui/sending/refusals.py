"""A refusal that is the same for everyone is the server's problem, not a bounce (issue #11, item 6).

A relay answering `550 Relaying denied` to every RCPT must not fail and suppress the whole list. The runner
shows every outcome of a run to a `RefusalWatch`, in the order they arrive:
- the same refusal (same code and text once the recipient's address is taken out) for `STREAK` distinct
  recipients in a row, or for `MAJORITY` of the first `WINDOW` outcomes of the run, means a server or account
  problem: the run pauses and those recipients go back to the queue, nobody failed or suppressed;
- after the first `WINDOW` outcomes a streak still pauses, unless its reply names a recipient-specific problem
  (5.1.1 no such user ...): a run of dead addresses later in a sorted list is real;
- hard bounces seen while the window is open are *held*, not suppressed, until the window shows they are real.
Works for any item type (a campaign's RecipientState, a session mail id) so both senders share the rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .scrub import without_address
from .transport import Delivery

STREAK = 5
WINDOW = 20
MAJORITY = 11
Item = TypeVar("Item")


def refusal_key(delivery: Delivery, email: str) -> str:
    """The reply with the recipient taken out, lower-cased and squeezed: equal keys = the same refusal."""
    text = delivery.reply
    local = email.rpartition("@")[0]
    for part in (email, local if len(local) >= 3 else ""):
        if part:
            text = re.sub(re.escape(part), "[recipient]", text, flags=re.IGNORECASE)
    return f"{delivery.code} {' '.join(text.lower().split())}"


def quoted_reply(delivery: Delivery, email: str) -> str:
    """The reply as an operator should read it in a pause reason: quoted, without the recipient's address."""
    return f'"{without_address(delivery.summary, email)}"'


@dataclass
class Verdict(Generic[Item]):
    """What a refusal means: recipients to put back in the queue (and why), hard bounces now confirmed."""

    requeue: list[Item] = field(default_factory=list)
    reason: str = ""
    confirmed: list[tuple[Item, Delivery]] = field(default_factory=list)


class RefusalWatch(Generic[Item]):
    """Tells a server problem (the same refusal for everyone) from real, recipient-specific refusals."""

    def __init__(self, *, streak: int = STREAK, window: int = WINDOW, majority: int = MAJORITY) -> None:
        """`streak=0` turns the rules off (every refusal stands, bounces are not held): the operator's way out
        when the first recipients of a list really are dead addresses with the same reply."""
        self.streak_needed, self.majority = streak, majority
        self.window = window if streak else 0
        self.seen = 0
        self.reason = ""
        self._trigger = ""
        self._streak_key = ""
        self._streak: list[Item] = []
        self._in_window: dict[str, list[Item]] = {}
        self._counts: Counter[str] = Counter()
        self._held: list[tuple[Item, Delivery, str]] = []

    @property
    def window_open(self) -> bool:
        return self.seen < self.window and not self._trigger

    def delivered(self) -> Verdict[Item]:
        """A message was accepted: the streak is broken; maybe the window closes (held bounces confirmed)."""
        self._streak_key, self._streak = "", []
        self.seen += 1
        return Verdict(confirmed=self._release() if not self.window_open else [])

    def refused(self, item: Item, delivery: Delivery, email: str) -> Verdict[Item]:
        """A permanent refusal of `item`: requeue (a server problem) or let it stand (held while in the window)."""
        key = refusal_key(delivery, email)
        if self._trigger:
            return Verdict(requeue=[item] if key == self._trigger else [], reason=self.reason,
                           confirmed=[(item, delivery)] if key != self._trigger and delivery.hard_bounce else [])
        in_window = self.window_open
        self.seen += 1
        self._extend_streak(key, item)
        if in_window:
            self._counts[key] += 1
            self._in_window.setdefault(key, []).append(item)
        if in_window and delivery.hard_bounce:
            self._held.append((item, delivery, key))
        trouble = self._trouble(key, in_window, delivery)
        if trouble:
            return self._pause(key, trouble, delivery, email)
        if delivery.hard_bounce and not in_window:
            return Verdict(confirmed=[(item, delivery)])
        return Verdict(confirmed=self._release() if not self.window_open else [])

    def finish(self) -> list[tuple[Item, Delivery]]:
        """The run ended without a server problem: held bounces are real."""
        return [] if self._trigger else self._release()

    def _extend_streak(self, key: str, item: Item) -> None:
        if key != self._streak_key:
            self._streak_key, self._streak = key, []
        if not _holds(self._streak, item):
            self._streak.append(item)

    def _trouble(self, key: str, in_window: bool, delivery: Delivery) -> str:
        if not self.streak_needed:
            return ""
        if len(self._streak) >= self.streak_needed and (in_window or not delivery.hard_bounce):
            return f"{len(self._streak)} recipients in a row"
        if in_window and self._counts[key] >= self.majority:
            return f"{self._counts[key]} of the first {self.seen} recipients"
        return ""

    def _pause(self, key: str, trouble: str, delivery: Delivery, email: str) -> Verdict[Item]:
        self._trigger = key
        self.reason = (f"server or account problem, not bounces: {trouble} refused with "
                       f"{quoted_reply(delivery, email)}; nobody was failed or suppressed")
        requeue: list[Item] = []
        for item in [*self._in_window.get(key, []), *self._streak]:
            if not _holds(requeue, item):
                requeue.append(item)
        confirmed = [(i, d) for i, d, k in self._held if k != key]
        self._held = []
        return Verdict(requeue=requeue, reason=self.reason, confirmed=confirmed)

    def _release(self) -> list[tuple[Item, Delivery]]:
        released = [(item, delivery) for item, delivery, _ in self._held]
        self._held = []
        return released


def _holds(items: list[Item], item: Item) -> bool:
    """Membership by identity (recipient states are mutable, unhashable dataclasses)."""
    return any(present is item for present in items)
