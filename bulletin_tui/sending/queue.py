"""Who a campaign run still has to send to: the queue, deferred recipients waiting for their retry time, and how
many have been taken and not yet settled (so progress counts each person once)."""

from __future__ import annotations

import heapq
from collections import deque

from .ledger import RecipientState


class RecipientQueue:
    def __init__(self) -> None:
        self._pending: deque[RecipientState] = deque()
        self._retries: list[tuple[float, int, RecipientState]] = []
        self.in_hand = 0

    def add(self, person: RecipientState, *, front: bool = False) -> None:
        """Queue someone (at the front when they were interrupted, so order is kept)."""
        if front:
            self._pending.appendleft(person)
        else:
            self._pending.append(person)

    def retry(self, person: RecipientState, due: float) -> None:
        heapq.heappush(self._retries, (due, id(person), person))

    def due(self, now: float) -> bool:
        return bool(self._pending) or bool(self._retries and self._retries[0][0] <= now)

    def take(self, now: float) -> RecipientState | None:
        """The next person to send to (a retry that is due first), counted as in hand until settled."""
        if self._retries and self._retries[0][0] <= now:
            self.in_hand += 1
            return heapq.heappop(self._retries)[2]
        if not self._pending:
            return None
        self.in_hand += 1
        return self._pending.popleft()

    def settled(self) -> None:
        self.in_hand -= 1

    def put_back(self, person: RecipientState) -> None:
        """Taken but nothing recorded for them: back to the front of the queue."""
        self.in_hand -= 1
        self._pending.appendleft(person)

    def next_retry(self) -> float | None:
        return self._retries[0][0] if self._retries else None

    def only_retries_left(self) -> bool:
        return not self._pending and not self.in_hand and bool(self._retries)

    def remaining(self) -> int:
        return len(self._pending) + len(self._retries) + self.in_hand
