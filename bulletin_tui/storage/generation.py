"""Which save of the database a process holds, and who last changed a record.

Every save stamps a new generation (a number, a random id, who saved and when) at the very start of the file, so
another process can tell in microseconds whether the file changed since it read it (`peek_generation`), without
parsing 50,000 subscribers. A restored backup brings back its own generation id, which is exactly the content it
names, so a process holding that state has nothing to re-read.

`_changes` keeps, for the last CHANGES_KEEP records changed by small writes (an edit, not an import of
thousands), who changed it and when, under a hash of the record's key (never the key, which may be an address):
what an edit form shows when someone saved the same record while it was open. A deleted record's entry goes with
it, so erasure leaves nothing behind here."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .migrations import META_TABLE

GENERATION_ROW = "generation"
CHANGES_TABLE = "_changes"
CHANGES_KEEP = 2_000
ROWS_NOTED = 200
"""A write of more rows than this (an import) is not noted per record."""
_PEEK = re.compile(rb'^\{"' + META_TABLE.encode() + rb'":\{"' + GENERATION_ROW.encode()
                   + rb'":\{"number":(\d+),"id":"([0-9a-f]+)"')


@dataclass(frozen=True)
class Generation:
    number: int
    id: str
    by: str
    at: str


def generation_of(data: dict[str, Any]) -> Generation | None:
    row = data.get(META_TABLE, {}).get(GENERATION_ROW)
    if not isinstance(row, dict):
        return None
    try:
        return Generation(int(row["number"]), str(row["id"]), str(row.get("by", "")), str(row.get("at", "")))
    except (KeyError, TypeError, ValueError):
        return None


def stamp_generation(data: dict[str, Any], *, by: str, at: str) -> Generation:
    """Give `data` the next generation (first in `_meta`, which `encode_chunks` writes first)."""
    previous = generation_of(data)
    made = Generation((previous.number if previous else 0) + 1, secrets.token_hex(8), by, at)
    meta = {k: v for k, v in data.get(META_TABLE, {}).items() if k != GENERATION_ROW}
    data[META_TABLE] = {GENERATION_ROW: {"number": made.number, "id": made.id, "by": by, "at": at}, **meta}
    return made


def peek_generation(path: Path) -> str | None:
    """The generation id at the start of the file (None: no file, or one saved before generations existed)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        head = os.read(fd, 256)
    finally:
        os.close(fd)
    found = _PEEK.match(head)
    return found.group(2).decode() if found else None


def read_generation(path: Path) -> Generation | None:
    """The whole generation row at the start of the file (who saved last, when), or None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return None
    start = head.find(b'"' + GENERATION_ROW.encode() + b'":{')
    end = head.find(b"}", start)
    if not _PEEK.match(head) or start < 0 or end < 0:
        return None
    try:
        row = orjson.loads(head[start + len(GENERATION_ROW) + 3:end + 1])
        return generation_of({META_TABLE: {GENERATION_ROW: row}})
    except orjson.JSONDecodeError:
        return None


def change_key(table: str, key: str) -> str:
    return hashlib.blake2b(f"{table}/{key}".encode(), digest_size=10, person=b"bulletin-changes").hexdigest()


def last_change(data: dict[str, Any], table: str, key: str) -> Generation | None:
    """Who last changed this record and when, if a small write noted it (None for imports, or long ago)."""
    row = data.get(CHANGES_TABLE, {}).get(change_key(table, key))
    if not isinstance(row, dict):
        return None
    return Generation(int(row.get("number", 0)), "", str(row.get("by", "")), str(row.get("at", "")))


def record_changes(data: dict[str, Any], noted: dict[str, bool], made: Generation) -> None:
    """Note the records of this save (`noted`: change key -> deleted), keeping the newest CHANGES_KEEP."""
    table = dict(data.get(CHANGES_TABLE, {}))
    for key, deleted in noted.items():
        if deleted:
            table.pop(key, None)
        else:
            table[key] = {"number": made.number, "by": made.by, "at": made.at}
    if len(table) > CHANGES_KEEP * 6 // 5:
        newest = sorted(table.items(), key=lambda kv: kv[1].get("number", 0), reverse=True)[:CHANGES_KEEP]
        table = dict(newest)
    data[CHANGES_TABLE] = table
