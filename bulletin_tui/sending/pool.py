"""The SMTP transport's connections: up to `size` reused at once, each one holding one of the mailbox's slots.

Without `slots` (tests, a bare transport) the pool is a plain queue of `size` connections. With them
(`budget.ConnectionSlots`), a connection is opened only while it holds a slot, and gives it back when it closes:

- a connection that finds every slot taken while this process holds another one is *parked*: the messages go over
  the connections that have slots, and a parked one tries again at most once a second (`GROW_EVERY`);
- a process that holds no slot at all waits for one (polling, `patience` seconds at most), and while it waits a
  process holding more than one gives one up after its current message: nobody is starved by a long send;
- after `432 4.3.2` (the server says the mailbox has too many connections) `shrink()` closes that connection and
  the pool uses one fewer from then on.
"""

from __future__ import annotations

import asyncio
import time

import aiosmtplib

from .budget import ConnectionSlots, SlotLease

GROW_EVERY = 1.0
"""Seconds between attempts to take a slot for a parked connection."""


class PooledConnection:
    """One connection the pool hands out; reconnected lazily after a failure."""

    def __init__(self) -> None:
        self.smtp: aiosmtplib.SMTP | None = None
        self.expires_at = float("inf")
        """When the token this connection signed in with expires (less a margin); reconnect after that."""
        self.lease: SlotLease | None = None

    def usable(self) -> bool:
        return self.smtp is not None and self.smtp.is_connected and time.time() < self.expires_at


class ConnectionPool:
    """Hands out connections (`checkout`/`checkin`) within the pool's size and the mailbox's slots."""

    def __init__(self, size: int, slots: ConnectionSlots | None = None, *, patience: float = 60.0) -> None:
        self.slots, self.patience = slots, patience
        self.size = 0
        self._idle: asyncio.Queue[PooledConnection] = asyncio.Queue()
        self._parked: list[PooledConnection] = []
        self._leases = 0
        self._last_grow = 0.0
        self.resize(size)

    def resize(self, count: int) -> None:
        """Use `count` connections; idle extra ones are closed."""
        while self.size < count:
            self._idle.put_nowait(PooledConnection())
            self.size += 1
        while self.size > count and (self._parked or not self._idle.empty()):
            self.drop(self._parked.pop() if self._parked else self._idle.get_nowait())
            self.size -= 1

    async def checkout(self) -> PooledConnection | None:
        """A connection that may be used: it holds a slot, or got one now; None after `patience` seconds without."""
        while True:
            connection = await self._idle.get()
            if self.slots is None or connection.lease is not None:
                return connection
            lease = self.slots.try_take()
            if lease is None and self._leases > 0:  # send over the connections that have slots
                self._parked.append(connection)
                continue
            if lease is None:
                lease = await self.slots.take(self.patience)
            if lease is None:
                self._idle.put_nowait(connection)
                return None
            self._hold(connection, lease)
            return connection

    def checkin(self, connection: PooledConnection) -> None:
        """Back to the pool after a message; gives its slot up if another process is waiting for one."""
        if self.slots is not None and connection.lease is not None and self._leases > 1 and \
                self.slots.others_waiting():
            self.drop(connection)
            self._parked.append(connection)
        else:
            self._idle.put_nowait(connection)
        self._wake_parked()

    def shrink(self, connection: PooledConnection) -> None:
        """`432 4.3.2`: close this connection and use one fewer (never fewer than one)."""
        self.drop(connection)
        if self.size > 1:
            self.size -= 1
        else:
            self._idle.put_nowait(connection)
        self._wake_parked()

    def drop(self, connection: PooledConnection, *, keep_slot: bool = False) -> None:
        """Close the socket (no QUIT) and give the slot back (unless it is reconnected at once: `keep_slot`)."""
        if connection.smtp is not None:
            connection.smtp.close()
        connection.smtp = None
        connection.expires_at = float("inf")
        if connection.lease is not None and not keep_slot:
            connection.lease.release()
            connection.lease = None
            self._leases -= 1

    def take_idle(self) -> list[PooledConnection]:
        """Every idle connection, out of the pool (parked ones come back to it); `put_back` returns them."""
        while self._parked:
            self._idle.put_nowait(self._parked.pop())
        return [self._idle.get_nowait() for _ in range(self._idle.qsize())]

    def put_back(self, connections: list[PooledConnection]) -> None:
        for connection in connections:
            self._idle.put_nowait(connection)

    def _hold(self, connection: PooledConnection, lease: SlotLease) -> None:
        connection.lease = lease
        self._leases += 1

    def _wake_parked(self) -> None:
        """A parked connection takes a slot that came free (at most once a second), or every parked one goes back
        to the queue when this pool holds no slot at all (they wait for one there)."""
        if not self._parked or self.slots is None:
            return
        if self._leases == 0:
            while self._parked:
                self._idle.put_nowait(self._parked.pop())
            return
        now = time.monotonic()
        if now - self._last_grow < GROW_EVERY or self.slots.others_waiting():
            return
        self._last_grow = now
        lease = self.slots.try_take()
        if lease is not None:
            connection = self._parked.pop()
            self._hold(connection, lease)
            self._idle.put_nowait(connection)
