"""A campaign another process is sending (#24): "Being sent by USER (pid, host) since …" and its progress read
from the ledger each second; meanwhile the screen's start, pause and resume keys are off (one process owns a
running send: `sending/runlock.py`)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from textual.widgets import Static

from ...sending.runlock import RunHolder, running_elsewhere
from ...services.context import AppContext
from ...services.mailings.runs import ledger_path

if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

WATCH_EVERY_S = 1.0


class LedgerTally:
    """Each recipient's latest state in one ledger, read incrementally: a look reads only what was appended since
    the last one (a 50,000-recipient ledger is folded once, then a few lines a second)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reset(None)

    def _reset(self, inode: int | None) -> None:
        self._inode, self._offset, self._tail = inode, 0, b""
        self._states: dict[str, str] = {}

    def counts(self) -> Counter[str]:
        """Recipients per state now (`attempting`: in flight)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._reset(None)
            return Counter()
        if stat.st_ino != self._inode or stat.st_size < self._offset:  # replaced (an erasure rewrote it)
            self._reset(stat.st_ino)
        if stat.st_size > self._offset:
            with self.path.open("rb") as ledger:
                ledger.seek(self._offset)
                added = ledger.read(stat.st_size - self._offset)
            self._offset += len(added)
            *lines, self._tail = (self._tail + added).split(b"\n")  # a line still being written waits
            for line in lines:
                self._take(line)
        return Counter(self._states.values())

    def _take(self, line: bytes) -> None:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return
        if isinstance(record, dict) and "key" in record and "state" in record:
            self._states[str(record["key"])] = str(record["state"])


def progress_text(holder: RunHolder, counts: Counter[str]) -> str:
    """`Being sent by ann (pid 4242 on kcst-vm) since … · 120 of 1,000 sent · 2 failed · 3 deferred · 875 to go`."""
    total = sum(counts.values())
    to_go = counts["queued"] + counts["attempting"]
    parts = [f"{counts['sent']:,} of {total:,} sent", f"{counts['failed']:,} failed",
             f"{counts['deferred']:,} deferred", f"{to_go:,} to go"]
    parts += [f"{counts[state]:,} {state}" for state in ("skipped", "uncertain") if counts[state]]
    return f"Being sent by {holder.describe()} · " + " · ".join(parts)


class RunElsewhere(Static):
    """Shown while another process sends the campaign the screen is about (`campaign_of()` names it)."""

    DEFAULT_CSS = """
    RunElsewhere { height: auto; display: none; color: $warning; text-style: bold; padding: 0 1; }
    RunElsewhere.-running { display: block; }
    """

    def __init__(self, ctx: AppContext, campaign_of: Callable[[], str | None], *, id: str = "run-elsewhere") -> None:
        super().__init__("", id=id, markup=False)
        self.ctx, self.campaign_of = ctx, campaign_of
        self.holder: RunHolder | None = None
        self._tally: LedgerTally | None = None

    def on_mount(self) -> None:
        self.set_interval(WATCH_EVERY_S, self.look)
        self.call_after_refresh(self.look)

    def look(self) -> None:
        """Who sends the campaign now (not this process), and how far it got."""
        if not self.screen.is_mounted:
            return  # the screen's choices are not set up yet
        campaign_id = self.campaign_of()
        path = ledger_path(self.ctx, campaign_id) if campaign_id else None
        holder = running_elsewhere(path) if path is not None else None
        if holder is not None and holder.pid == os.getpid():
            holder = None  # this app's own send: its progress line says how it goes
        if path is not None and (self._tally is None or self._tally.path != path):
            self._tally = LedgerTally(path)
        if holder is not None and self._tally is not None:
            self.update(progress_text(holder, self._tally.counts()))
        changed, self.holder = holder != self.holder, holder
        self.set_class(holder is not None, "-running")
        if changed:
            self.screen.refresh_bindings()
            reload = getattr(self.screen, "reload", None)
            if holder is None and callable(reload):
                reload()  # the run elsewhere ended: show where the campaign stands now


class OffWhileSentElsewhere(_ScreenBase):
    """Mixin for a screen with a RunElsewhere: its SENDING_ACTIONS are disabled (shown dimmed) meanwhile."""

    SENDING_ACTIONS: frozenset[str] = frozenset()

    def sent_elsewhere(self) -> RunHolder | None:
        found = self.query(RunElsewhere)
        return found.first().holder if found else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SENDING_ACTIONS and self.sent_elsewhere() is not None:
            return None
        return super().check_action(action, parameters)
