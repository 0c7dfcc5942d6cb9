"""Places outside the database besides sent mail: the web face's inbound journal, the logs, the exports folder and
the backups (copies of the database: reported with the moment each is pruned, never edited)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ...storage.backups import backup_expiry, backup_time, list_backups
from ...storage.journal import JOURNAL_DIR, QUARANTINE_NAME, entry_time, journal_path, read_journal
from ..context import AppContext
from ..web.privacy import erase_journal, journal_data
from .files import export_files, exports_holding
from .log_files import LOGS_FOLDER, drop_lines, log_files, read_lines
from .place import Held, Person, Place, Survey, oldest_of, relative

if TYPE_CHECKING:
    from .subject import ErasureReport


def _journal_survey(ctx: AppContext) -> Survey:
    entries = read_journal(journal_path(ctx.data_dir)).entries
    quarantine = ctx.data_dir / JOURNAL_DIR / QUARANTINE_NAME
    set_aside = len(quarantine.read_bytes().splitlines()) if quarantine.exists() else 0
    return Survey(len(entries), "requests", oldest_of([entry_time(e["at"]) for e in entries]),
                  f"{set_aside} line(s) set aside in {QUARANTINE_NAME}" if set_aside else "")


def _journal_held(ctx: AppContext, person: Person) -> Held:
    found = journal_data(ctx, person.email)
    return Held({"web_requests": found}, len(found))


def _erase_journal(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.web_requests = erase_journal(ctx, person.email)
    return report.web_requests


def _logs_survey(ctx: AppContext) -> Survey:
    lines = [line for path in log_files(ctx) for line in read_lines(path)]
    return Survey(len(lines), "lines", oldest_of([line.at for line in lines]),
                  f"in {len(log_files(ctx))} file(s); the worker's log keeps counts and ids only")


def _logs_held(ctx: AppContext, person: Person) -> Held:
    counts = [(path, sum(1 for line in read_lines(path) if person.in_bytes(line.text))) for path in log_files(ctx)]
    found = [{"file": relative(ctx, path), "lines": hits} for path, hits in counts if hits]
    return Held({"log_lines": found}, sum(hits for _, hits in counts))


def _erase_log_lines(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.log_lines = sum(drop_lines(path, lambda line: person.in_bytes(line.text)) for path in log_files(ctx))
    return report.log_lines


def _exports_survey(ctx: AppContext) -> Survey:
    paths = export_files(ctx)
    return Survey(len(paths), "files", oldest_of([datetime.fromtimestamp(p.stat().st_mtime, UTC) for p in paths]))


def _exports_held(ctx: AppContext, person: Person) -> Held:
    found = [str(path) for path in exports_holding(ctx, person.spellings)]
    return Held({"export_files": found}, len(found))


def _report_exports(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.exports = exports_holding(ctx, person.spellings)
    return len(report.exports)


def _backups_survey(ctx: AppContext) -> Survey:
    paths = list_backups(ctx.store.db.path)
    last = max((backup_expiry(p) for p in paths), default=None)
    return Survey(len(paths), "backups", oldest_of([backup_time(p) for p in paths]),
                  f"each pruned within 30 days; the last by {last.day} {last:%B %Y}" if last else "")


def backups_holding(ctx: AppContext, spellings: set[str]) -> list[tuple[Path, datetime]]:
    """Backups whose bytes still contain the address, with the moment each will have been pruned."""
    needles = [s.encode() for s in spellings] + [s.lower().encode() for s in spellings]
    found = []
    for path in list_backups(ctx.store.db.path):
        raw = path.read_bytes()
        lowered = raw.lower()
        if any(n in raw or n in lowered for n in needles):
            found.append((path, backup_expiry(path)))
    return found


def _backups_held(ctx: AppContext, person: Person) -> Held:
    found = [{"file": str(path), "until": until.isoformat()} for path, until in backups_holding(ctx, person.spellings)]
    return Held({"backups": found}, len(found))


def _report_backups(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.backups = backups_holding(ctx, person.spellings)
    return len(report.backups)


FILE_PLACES = (
    Place("web_journal", f"{JOURNAL_DIR}/", "sign-ups, registrations, preference changes and unsubscribes from the "
          "web face (names, addresses, organisation, access needs)", _journal_survey, _journal_held, _erase_journal,
          "removed", paths=(JOURNAL_DIR,)),
    Place("logs", f"{LOGS_FOLDER}/", "error tracebacks may quote an address", _logs_survey, _logs_held,
          _erase_log_lines, "lines that name them removed", paths=(LOGS_FOLDER,)),
    Place("exports", "exports/", "files staff exported into the data folder (lists, ledgers, attendance)",
          _exports_survey, _exports_held, _report_exports, "reported (staff delete them)", paths=("exports",),
          copy=True, after_write=True),
    Place("backups", "backups/", "whole copies of the database as it was", _backups_survey, _backups_held,
          _report_backups, "reported with the moment each is pruned (30 days at most)", paths=("backups",),
          copy=True, after_write=True),
)
