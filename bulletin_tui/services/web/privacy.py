"""The inbound journal in subject access and erasure: a person's requests (names, addresses, organisation, access
needs) are found by their address and by the opaque reference their links carry, in the journal and in the lines
set aside from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...domain.identity import address_spellings
from ...domain.text import normalise_email
from ...storage.atomic import atomic_write_bytes
from ...storage.journal import JOURNAL_DIR, QUARANTINE_NAME, journal_lock, journal_path, read_journal, rewrite
from ..context import AppContext
from ..subscribers.tokens import reference_index


def _matcher(ctx: AppContext, email: str) -> Any:
    key = normalise_email(email)
    references = set(reference_index(ctx, [key]))

    def concerns(entry: dict[str, Any]) -> bool:
        request = entry.get("request")
        if isinstance(request, dict) and normalise_email(str(request.get("email", ""))) == key:
            return True
        tokens = [entry.get("token"), *entry.get("leave_tokens", [])]
        return any(isinstance(t, str) and t.count(".") == 4 and t.split(".")[1] in references for t in tokens)

    return concerns


def journal_data(ctx: AppContext, email: str) -> list[dict[str, Any]]:
    """The person's journal entries as they are stored (applied or not)."""
    concerns = _matcher(ctx, email)
    return [e for e in read_journal(journal_path(ctx.data_dir)).entries if concerns(e)]


def erase_journal(ctx: AppContext, email: str) -> int:
    """Remove the person's entries from the journal, and every set-aside line that spells their address; the
    number removed."""
    concerns = _matcher(ctx, email)
    removed, _ = rewrite(ctx.data_dir, lambda entry: not concerns(entry))
    return removed + _scrub_quarantine(ctx.data_dir, {s.lower() for s in address_spellings(email)})


def _scrub_quarantine(data_dir: Path, spellings: set[str]) -> int:
    path = data_dir / JOURNAL_DIR / QUARANTINE_NAME
    if not path.exists():
        return 0
    with journal_lock(data_dir):
        lines = path.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if not any(s.encode() in line.lower() for s in spellings)]
        if len(kept) != len(lines):
            atomic_write_bytes(path, b"".join(kept))
        return len(lines) - len(kept)
