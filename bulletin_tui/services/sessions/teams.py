"""Read a Microsoft Teams attendance report as Teams really writes it, whichever year's format.

Handles UTF-16 (with BOM, the usual download) or UTF-8, tab- or comma-separated, a summary block before the
participants table ("1. Summary" / "Meeting Summary"), several sections after it, renamed or reordered columns,
durations like `1h 2m 3s` or `01:02:03`, and the 2020 "User Action" log (Joined/Left rows, no e-mail column).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ...domain.errors import DomainError
from ...domain.text import normalise_email
from ..inputs.files import FORM_EXPORT, check_width
from ..subscribers.csvread import header_key, read_text

NAME_KEYS = ("name", "fullname", "participant", "participantname", "displayname", "attendee", "attendeename")
DURATION_KEYS = ("inmeetingduration", "duration", "attendanceduration", "timeinmeeting", "totalduration")
TIMESTAMP_FORMATS = ("%m/%d/%Y, %I:%M:%S %p", "%m/%d/%y, %I:%M:%S %p", "%d/%m/%Y, %H:%M:%S", "%d/%m/%Y %H:%M:%S",
                     "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y, %I:%M:%S %p")


@dataclass
class TeamsAttendee:
    name: str
    email: str = ""
    minutes: int | None = None
    role: str = ""

    @property
    def key(self) -> str:
        return normalise_email(self.email) if self.email else ""


@dataclass
class TeamsReport:
    file: str
    encoding: str
    title: str = ""
    layout: str = ""
    attendees: list[TeamsAttendee] = field(default_factory=list)
    started: datetime | None = None
    """When the meeting started, as Teams wrote it (local wall-clock time, no zone): matches a session's date."""


def parse_duration(text: str) -> int | None:
    """Whole minutes from `1h 2m 3s`, `45m`, `1 hr 5 mins`, `01:02:03` or `45:10`; None if unreadable."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+:\d{2}(:\d{2})?", text):
        parts = [int(p) for p in text.split(":")]
        hours, minutes, seconds = parts if len(parts) == 3 else [0, *parts]
        return hours * 60 + minutes + (1 if seconds >= 30 else 0)
    found = dict.fromkeys("hms", 0)
    units = re.findall(r"(\d+)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|s|sec|secs|second|seconds)\b", text)
    if not units:
        return None
    for amount, unit in units:
        found[unit[0]] += int(amount)
    return found["h"] * 60 + found["m"] + (1 if found["s"] >= 30 else 0)


def _timestamp(text: str) -> datetime | None:
    for fmt in TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def _split(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]


def _is_header(keys: list[str]) -> bool:
    has_name = any(key in NAME_KEYS for key in keys)
    has_detail = any("email" in key or "upn" in key or key in DURATION_KEYS or key == "useraction" or "join" in key
                     for key in keys)
    return len(keys) >= 2 and has_name and has_detail


def _table(lines: list[str], name: str) -> tuple[list[str], list[list[str]]]:
    """The participants table: its header and rows up to the next blank line or section title."""
    for index, line in enumerate(lines):
        cells = _split(line)
        if _is_header([header_key(c) for c in cells]):
            rows = []
            for number, following in enumerate(lines[index + 1:], start=index + 2):
                row = _split(following)
                check_width(row, FORM_EXPORT, name, number)
                if not any(row) or (len([c for c in row if c]) == 1 and re.match(r"^\d+\.\s", row[0])):
                    break
                rows.append(row)
            return cells, rows
    raise DomainError(f"{name}: no participants table found (looked for a row with Name and Email columns)")


def _column(keys: list[str], wanted) -> int | None:  # type: ignore[no-untyped-def]
    return next((i for i, key in enumerate(keys) if wanted(key)), None)


def read_teams_report(path: Path) -> TeamsReport:
    """Parse the file; DomainError naming it if there is no participants table."""
    text, encoding = read_text(path, FORM_EXPORT)
    lines = text.splitlines()
    if len(lines) > FORM_EXPORT.max_rows:
        raise DomainError(f"{path.name}: {len(lines):,} lines; an attendance report may have at most "
                          f"{FORM_EXPORT.max_rows:,} (split the file)")
    report = TeamsReport(file=path.name, encoding=encoding, title=_title(lines), started=_started(lines))
    header, rows = _table(lines, path.name)
    keys = [header_key(cell) for cell in header]
    if "useraction" in keys:
        report.layout = "2020 user-action log"
        report.attendees = _from_action_log(keys, rows)
    else:
        report.layout = "participants table"
        report.attendees = _from_participants(keys, rows)
    return report


START_KEYS = ("starttime", "meetingstarttime")


def _started(lines: list[str]) -> datetime | None:
    """The summary's start time; else the earliest timestamp in the first rows (a join time)."""
    stamps = []
    for line in lines[:40]:
        cells = _split(line)
        if len(cells) >= 2 and header_key(cells[0]) in START_KEYS:
            return _timestamp(cells[1])
        stamps += [found for cell in cells[1:] if (found := _timestamp(cell)) is not None]
    return min(stamps, default=None)


def _title(lines: list[str]) -> str:
    for line in lines[:20]:
        cells = _split(line)
        if len(cells) >= 2 and header_key(cells[0]) in ("meetingtitle", "title", "meetingname"):
            return cells[1]
    return ""


def _from_participants(keys: list[str], rows: list[list[str]]) -> list[TeamsAttendee]:
    name_at = _column(keys, lambda k: k in NAME_KEYS)
    email_at = _column(keys, lambda k: "email" in k)
    upn_at = _column(keys, lambda k: "upn" in k)
    duration_at = _column(keys, lambda k: k in DURATION_KEYS)
    role_at = _column(keys, lambda k: k == "role")
    merged: dict[str, TeamsAttendee] = {}
    for row in rows:
        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index] if index is not None and index < len(row) else ""
        email = cell(email_at) or (cell(upn_at) if "@" in cell(upn_at) else "")
        attendee = TeamsAttendee(cell(name_at), email, parse_duration(cell(duration_at)), cell(role_at))
        key = attendee.key or f"name:{attendee.name.lower()}"
        if key in merged:  # one row per join in older layouts: add the time up
            earlier = merged[key]
            if attendee.minutes is not None:
                earlier.minutes = (earlier.minutes or 0) + attendee.minutes
        else:
            merged[key] = attendee
    return list(merged.values())


def _from_action_log(keys: list[str], rows: list[list[str]]) -> list[TeamsAttendee]:
    name_at = _column(keys, lambda k: k in NAME_KEYS)
    action_at = keys.index("useraction")
    time_at = _column(keys, lambda k: "timestamp" in k or k == "time")
    people: dict[str, TeamsAttendee] = {}
    joined: dict[str, datetime] = {}
    for row in rows:
        name = row[name_at] if name_at is not None and name_at < len(row) else ""
        person = people.setdefault(name.lower(), TeamsAttendee(name, minutes=0))
        moment = _timestamp(row[time_at]) if time_at is not None and time_at < len(row) else None
        action = row[action_at].lower() if action_at < len(row) else ""
        if action.startswith("join") and moment:
            joined[name.lower()] = moment
        elif action.startswith("left") and moment and name.lower() in joined:
            person.minutes = (person.minutes or 0) + round((moment - joined.pop(name.lower())).total_seconds() / 60)
    return list(people.values())
