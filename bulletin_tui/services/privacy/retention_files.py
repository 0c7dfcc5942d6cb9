"""Retention classes kept in files: sent mail (ledger recipients made anonymous, each bulletin's reach kept first;
outbox copies removed), the web journal (applied requests dropped, as its compaction always did), the exports
folder and the logs. Each file is changed atomically, after the database write."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ...storage.atomic import atomic_write_bytes
from ...storage.journal import JOURNAL_DIR, QUARANTINE_NAME, entry_time, journal_path, read_journal
from ..aggregates.kept import keep_bulletins
from ..context import AppContext
from ..web.journal_apply import compact, expired
from .files import export_files, outbox_messages, written_at
from .ledger_files import DueRecipients, anonymise, campaign_issue, due_recipients, ledger_paths
from .log_files import ACTIVE_WORKER_LOG, drop_lines, log_files, read_lines
from .retention_class import Due, RetentionClass


def _find_sent_mail(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    ledgers = [found for path in ledger_paths(ctx) if (found := due_recipients(path, cutoff)).last_seen]
    due.found("send_ledgers", sum(len(d.last_seen) for d in ledgers), [d.oldest for d in ledgers])
    dated = [(path, written_at(path)) for path in outbox_messages(ctx)]
    copies = [(path, at) for path, at in dated if at is not None and at < cutoff]
    due.found("outbox", len(copies), [at for _, at in copies])
    issues = {issue for d in ledgers if (issue := campaign_issue(d.path))}
    due.payload = {"ledgers": ledgers, "outbox": [path for path, _ in copies], "issues": sorted(issues)}
    return due


def _keep_reach(ctx: AppContext, due: Due, now: datetime) -> None:
    due.payload["kept_bulletins"] = keep_bulletins(ctx, due.payload["issues"], now)


def _shred_sent_mail(ctx: AppContext, due: Due) -> None:
    done = 0
    ledgers: list[DueRecipients] = due.payload["ledgers"]
    for ledger in ledgers:
        changed = anonymise(ledger)
        if changed is None:
            due.busy.append(ledger.path.name)
        done += changed or 0
    due.counts["send_ledgers"] = done
    for path in due.payload["outbox"]:
        path.unlink(missing_ok=True)


def _quarantine_lines(ctx: AppContext, cutoff: datetime) -> tuple[list[bytes], list[bytes]]:
    """Lines set aside from the journal: (kept, due), a line being due when the time it carries is before cutoff."""
    path = ctx.data_dir / JOURNAL_DIR / QUARANTINE_NAME
    kept: list[bytes] = []
    doomed: list[bytes] = []
    for line in path.read_bytes().splitlines(keepends=True) if path.exists() else []:
        at = _line_time(line)
        (doomed if at is not None and at < cutoff else kept).append(line)
    return kept, doomed


def _line_time(line: bytes) -> datetime | None:
    start = line.find(b'"at":"')
    if start < 0:
        return None
    text = line[start + 6:line.find(b'"', start + 6)].decode(errors="replace")
    try:
        return entry_time(text)
    except ValueError:
        return None


def _find_journal(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    entries = expired(ctx, read_journal(journal_path(ctx.data_dir)))
    _, set_aside = _quarantine_lines(ctx, cutoff)
    moments = [entry_time(e["at"]) for e in entries] + [_line_time(line) for line in set_aside]
    due.found("web_journal", len(entries) + len(set_aside), moments)
    due.payload = {"cutoff": cutoff}
    return due


def _compact_journal(ctx: AppContext, due: Due, now: datetime) -> None:
    compact(ctx, read_journal(journal_path(ctx.data_dir)))  # only what is applied: safe inside the write


def _drop_set_aside(ctx: AppContext, due: Due) -> None:
    kept, doomed = _quarantine_lines(ctx, due.payload["cutoff"])
    if doomed:
        atomic_write_bytes(ctx.data_dir / JOURNAL_DIR / QUARANTINE_NAME, b"".join(kept))


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _find_exports(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    old = [(path, _mtime(path)) for path in export_files(ctx) if _mtime(path) < cutoff]
    due.found("exports", len(old), [at for _, at in old])
    due.payload = {"files": [path for path, _ in old]}
    return due


def _remove_exports(ctx: AppContext, due: Due) -> None:
    for path in due.payload["files"]:
        path.unlink(missing_ok=True)


def _find_log_lines(ctx: AppContext, cutoff: datetime) -> Due:
    due = Due()
    for path in log_files(ctx):
        if path.name != ACTIVE_WORKER_LOG:
            old = [line.at for line in read_lines(path) if line.at is not None and line.at < cutoff]
            due.found("logs", len(old), list(old))
    due.payload = {"cutoff": cutoff}
    return due


def _drop_log_lines(ctx: AppContext, due: Due) -> None:
    cutoff = due.payload["cutoff"]
    due.counts["logs"] = sum(drop_lines(path, lambda line: line.at is not None and line.at < cutoff)
                             for path in log_files(ctx))


FILE_CLASSES = (
    RetentionClass("send ledgers and outbox copies", "sent_mail_months", "after the send",
                   "ledger recipients made anonymous (state and reply kept, address and name gone), outbox copies "
                   "removed; each bulletin's reach is kept", "made anonymous or removed", ("send_ledgers", "outbox"),
                   _find_sent_mail, _keep_reach, apply_files=_shred_sent_mail),
    RetentionClass("web journal entries", "web_journal_days", "after the request, once applied or never confirmed",
                   "removed (the database holds what they did)", "removed", ("web_journal",), _find_journal,
                   apply_db=_compact_journal, apply_files=_drop_set_aside),
    RetentionClass("exports folder", "exports_days", "after the file was written", "removed", "removed", ("exports",),
                   _find_exports, apply_files=_remove_exports),
    RetentionClass("logs", "logs_days", "after the line was written", "lines removed", "removed", ("logs",),
                   _find_log_lines, apply_files=_drop_log_lines),
)
