"""What the web process keeps: a read-only view of the database (reloaded when the file changes), the journal's
group committer, the mail transport for confirmation e-mails, and the rate limiters."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..services.context import AppContext, open_context
from ..services.web.signing import Signer, confirmation_signer, csrf_signer
from ..storage.database import DB_NAME
from ..storage.journal import GroupCommitter, Journal, JournalTail, journal_path
from .limits import RateLimits

RELOAD_EVERY_S = 2.0


@dataclass
class WebState:
    settings: Settings
    base_url: str
    archive_dir: Path | None = None
    limits: RateLimits = field(default_factory=RateLimits)
    _ctx: AppContext | None = None
    _mtime: float = -1.0
    _checked: float = 0.0
    committer: GroupCommitter | None = None
    requests: JournalTail | None = None
    requested: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.committer = GroupCommitter(Journal(self.settings.data_dir))
        self.requests = JournalTail(journal_path(self.settings.data_dir))

    @property
    def ctx(self) -> AppContext:
        """The database as last saved (reopened read-only when bulletin.json changed; checked every 2 s)."""
        now = time.monotonic()
        if self._ctx is None or now - self._checked > RELOAD_EVERY_S:
            self._checked = now
            mtime = (self.settings.data_dir / DB_NAME).stat().st_mtime
            if self._ctx is None or mtime != self._mtime:
                fresh = open_context(self.settings, read_only=True)
                old, self._ctx, self._mtime = self._ctx, fresh, mtime
                if old is not None:
                    old.close()
        assert self._ctx is not None
        return self._ctx

    @property
    def confirm(self) -> Signer:
        return confirmation_signer(self.ctx)

    @property
    def csrf(self) -> Signer:
        return csrf_signer(self.ctx)

    def request_entry(self, request_id: str) -> dict[str, Any] | None:
        """A journalled sign-up/registration request, by id (for its confirmation link)."""
        assert self.requests is not None
        for entry in self.requests.refresh():
            if entry.get("kind") in ("signup_requested", "registration_requested"):
                self.requested[entry["id"]] = entry
        return self.requested.get(request_id)

    async def journal(self, entry: dict[str, Any]) -> None:
        assert self.committer is not None
        await self.committer.append(entry)

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
        if self.committer is not None:
            self.committer.journal.close()
