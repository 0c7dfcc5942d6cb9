"""What the web process keeps: a read-only view of the database (reloaded when the file changes), the journal's
group committer, the mail transport for confirmation e-mails, and the rate limiters."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request

from ..config import Settings
from ..services.subscribers.suppression import suppressed_among
from ..services.subscribers.tokens import reference_index
from ..services.web.signing import Signer, confirmation_signer, csrf_signer
from ..storage.database import DB_NAME
from ..storage.journal import GroupCommitter, Journal, JournalTail, journal_path
from .limits import RateLimits
from .view import ViewStore, WebContext, load_view

REFRESH_S = 1.0
RELOAD_EVERY_S = 10.0
"""How often the server looks for a newer bulletin.json (places left, new sessions, new subscribers)."""
BUSY_PER_SECOND = 50
STALE_AT_MOST = 60.0


@dataclass
class JournalIndex:
    """What the journal holds that the pages check before appending (a replayed request adds nothing): sign-up
    and registration requests by id, unsubscribed tokens, confirmed ids, each token's latest preferences.
    Rebuilt from the top when the journal is rewritten (compaction)."""

    tail: JournalTail
    requested: dict[str, dict[str, Any]] = field(default_factory=dict)
    unsubscribed: set[str] = field(default_factory=set)
    confirmed: set[str] = field(default_factory=set)
    preferences: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = field(default_factory=dict)
    _refreshed: float = -REFRESH_S

    def refresh(self) -> None:
        """Read what others appended or rewrote, at most every REFRESH_S: this process's own appends are added
        as they are made (`add`), so a burst of requests does not re-read them."""
        now = time.monotonic()
        if now - self._refreshed < REFRESH_S:
            return
        self._refreshed = now
        generation = self.tail.generation
        fresh = self.tail.refresh()
        if self.tail.generation != generation:  # rewritten: what was dropped is forgotten here too
            self.requested, self.unsubscribed, self.confirmed, self.preferences = {}, set(), set(), {}
        for entry in fresh:
            self.add(entry)

    def add(self, entry: dict[str, Any]) -> None:
        kind = entry["kind"]
        if kind.endswith("_requested"):
            self.requested[entry["id"]] = entry
        elif kind.endswith("_confirmed"):
            self.confirmed.add(entry["id"])
        elif kind == "unsubscribe":
            self.unsubscribed.add(entry["token"])
        elif kind == "preferences":
            self.unsubscribed.update(entry["leave_tokens"])
            self.preferences[entry["token"]] = preference_key(entry)


def web_state(request: Request) -> WebState:
    """The web face's state, typed (Starlette keeps it untyped on `app.state`)."""
    state: WebState = request.app.state.web
    return state


def preference_key(entry: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    topics = entry.get("topics")
    return tuple(sorted(entry["leave_tokens"])), tuple(topics) if isinstance(topics, list) else None


@dataclass
class WebState:
    settings: Settings
    base_url: str
    archive_dir: Path | None = None
    limits: RateLimits = field(default_factory=RateLimits)
    _ctx: WebContext | None = None
    _mtime: float = -1.0
    _index: dict[str, str] | None = None
    _loaded_at: float = 0.0
    _counted_since: float = field(default_factory=time.monotonic)
    requests_seen: int = 0
    """Requests since the last `refresh` (counted by the guard)."""
    committer: GroupCommitter | None = None
    wake_applier: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when a request wants the applier now (a confirmation to send, a confirmed sign-up to apply)."""
    journalled: JournalIndex | None = None

    def __post_init__(self) -> None:
        self.committer = GroupCommitter(Journal(self.settings.data_dir))
        self.journalled = JournalIndex(JournalTail(journal_path(self.settings.data_dir)))

    @property
    def ctx(self) -> WebContext:
        """The database as last saved, as a small read-only view, with the clock. The token, suppression and
        signing services take it (it fits `storage.readmodel.ReadContext`). `refresh()` replaces it off the event
        loop when bulletin.json changes."""
        if self._ctx is None:
            self._load()
        assert self._ctx is not None
        return self._ctx

    def _load(self) -> None:
        path = self.settings.data_dir / DB_NAME
        mtime = path.stat().st_mtime
        fresh = WebContext(ViewStore(load_view(path), self.settings.data_dir))
        index = reference_index(fresh)
        self._ctx, self._index, self._mtime = fresh, index, mtime  # swapped together, never half-built
        self._loaded_at = time.monotonic()

    async def refresh(self) -> None:
        """Re-read the view in a worker thread when the file changed; requests meanwhile use the previous one.
        During a burst (more than BUSY_PER_SECOND requests a second) the re-read waits, up to STALE_AT_MOST
        seconds: unsubscribes never need the view, and pages may be a little behind while the server is busy."""
        now = time.monotonic()
        rate = self.requests_seen / max(now - self._counted_since, 0.001)
        self.requests_seen, self._counted_since = 0, now
        mtime = (self.settings.data_dir / DB_NAME).stat().st_mtime
        if mtime == self._mtime or (rate > BUSY_PER_SECOND and now - self._loaded_at < STALE_AT_MOST):
            return
        await asyncio.to_thread(self._load)

    def reference_index(self) -> dict[str, str]:
        """Token reference -> subscriber key for the current view (one HMAC per person, once per reload)."""
        if self._index is None:
            self._load()
        assert self._index is not None
        return self._index

    @property
    def confirm(self) -> Signer:
        return confirmation_signer(self.ctx)

    @property
    def csrf(self) -> Signer:
        return csrf_signer(self.ctx)

    @property
    def index(self) -> JournalIndex:
        """What the journal already holds (brought up to date on each use)."""
        assert self.journalled is not None
        self.journalled.refresh()
        return self.journalled

    def suppressed(self, email: str) -> bool:
        """Is the address (any spelling of the same identity) on the suppression list, as last saved?"""
        return suppressed_among(self.ctx, self.ctx.store.suppressed)(email)

    async def journal(self, entry: dict[str, Any]) -> None:
        """Append one entry, durable on return; raises OSError (nothing appended) when it cannot be written."""
        assert self.committer is not None
        await self.committer.append(entry)
        assert self.journalled is not None
        self.journalled.add(entry)
        if entry["kind"] != "unsubscribe" and entry["kind"] != "preferences":  # someone waits for an e-mail
            self.wake_applier.set()

    def close(self) -> None:
        if self.committer is not None:
            self.committer.journal.close()
