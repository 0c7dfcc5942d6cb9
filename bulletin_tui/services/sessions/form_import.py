"""Import registrations from a form export (Microsoft Forms, Google Forms, Eventbrite-like CSV): all or nothing."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ...domain.errors import DomainError
from ...domain.occurrences import choose_occurrence, dates_named
from ...domain.sessions import AttendanceMode, InfoSession, Occurrence, Registration, RegistrationStatus
from ...domain.text import email_address, normalise_email
from ...domain.times import london_time, parse_clock, parse_date
from ..context import AppContext
from ..inputs.files import FORM_EXPORT, check_width, limited_rows
from ..sessions.mail import queue_mail
from ..sessions.registrations import (
    newcomer_status,
    registration_id,
    registrations_for,
    scheduled_session,
    welcome_kind,
)
from ..subscribers.csvread import header_key, read_text
from .places import PLACES_LOCK, mode_for

NAME_KEYS = ("fullname", "yourfullname", "name", "yourname", "attendeename", "displayname", "delegatename")
TIME_KEYS = ("completiontime", "submittedat", "timestamp", "submitted", "submissiondate", "starttime", "date")
DATE_KEYS = ("whichdate", "sessiondate", "chosendate", "preferreddate", "datechoice", "occurrence", "trainingdate",
             "whichdatewouldyouliketoattend", "whichdatewillyouattend")
ONLINE_WORDS = ("online", "teams", "virtual", "remote", "zoom")
IN_PERSON_WORDS = ("in person", "in-person", "face to face", "face-to-face", "venue", "room", "attend in")


@dataclass
class FormRow:
    number: int
    email: str
    name: str
    organisation: str
    mode: AttendanceMode | None
    submitted: datetime | None
    date: str = ""
    """The date they chose, as written (a session on several dates)."""


@dataclass
class RegistrationImport:
    file: str
    rows: int = 0
    confirmed: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    duplicates_in_file: int = 0
    already_registered: int = 0
    dry_run: bool = False


def _find(header: list[str], test) -> int | None:  # type: ignore[no-untyped-def]
    keys = [header_key(cell) for cell in header]
    return next((index for index, key in enumerate(keys) if test(key)), None)


def _columns(header: list[str], body: list[list[str]], name: str) -> dict[str, int | None]:
    """Locate the columns; the e-mail column is the mail-ish one whose cells are most often addresses."""
    keys = [header_key(cell) for cell in header]
    mailish = [i for i, key in enumerate(keys) if "mail" in key]
    if not mailish:
        raise DomainError(f"{name}: row 1 has no e-mail column (found: {', '.join(header)[:200]})")
    def score(index: int) -> int:
        return sum(1 for cells in body if index < len(cells) and "@" in cells[index])
    name_index = next((keys.index(k) for k in NAME_KEYS if k in keys), None)
    return {
        "email": max(mailish, key=score),
        "name": name_index,
        "organisation": _find(header, lambda k: any(w in k for w in ("organ", "company", "agency", "employer"))),
        "mode": _find(header, lambda k: "attend" in k or "inperson" in k or k in ("format", "mode")),
        "submitted": next((keys.index(k) for k in TIME_KEYS if k in keys), None),
        "date": next((keys.index(k) for k in DATE_KEYS if k in keys), None),
    }


def _parse_mode(text: str) -> AttendanceMode | None:
    lowered = text.strip().lower()
    if any(word in lowered for word in IN_PERSON_WORDS):
        return AttendanceMode.IN_PERSON
    if any(word in lowered for word in ONLINE_WORDS):
        return AttendanceMode.ONLINE
    return None


def _parse_submitted(text: str) -> datetime | None:
    """Day-first or ISO date with an optional time; None if it cannot be read (file order then decides)."""
    text = text.strip().replace("T", " ").split(".")[0]
    if not text:
        return None
    day, _, clock = text.partition(" ")
    try:
        the_date = parse_date(day)
        hours, minutes = parse_clock(clock[:5]) if clock else (0, 0)
        seconds = int(clock[6:8]) if len(clock) >= 8 and clock[5] == ":" else 0
        return london_time(datetime(the_date.year, the_date.month, the_date.day, hours, minutes, seconds), fold=0)
    except (DomainError, ValueError):
        return None


def read_form_export(path: Path) -> list[FormRow]:
    """Rows of the export in arrival order; DomainError naming file, row and field on the first bad one (or past
    the size, row and column limits of `FORM_EXPORT`)."""
    text, _ = read_text(path, FORM_EXPORT)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise DomainError(f"{path.name}: the file is empty")
        check_width(header, FORM_EXPORT, path.name, 1)
        body = list(limited_rows(reader, FORM_EXPORT, path.name))
    except csv.Error as exc:
        raise DomainError(f"{path.name}: cannot be read as CSV ({exc})") from None
    columns = _columns(header, body, path.name)
    rows = []
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(_row(path.name, number, cells, columns))
    return sorted(rows, key=lambda r: (r.submitted is None, r.submitted or datetime.min, r.number))


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _row(name: str, number: int, cells: list[str], columns: dict[str, int | None]) -> FormRow:
    email = _cell(cells, columns["email"])
    try:
        email = email_address(email)
    except ValueError as exc:
        raise DomainError(f"{name}: row {number}: e-mail: '{email}' {exc}; nothing was imported") from None
    return FormRow(number, email, _cell(cells, columns["name"])[:200], _cell(cells, columns["organisation"])[:200],
                   _parse_mode(_cell(cells, columns["mode"])), _parse_submitted(_cell(cells, columns["submitted"])),
                   _cell(cells, columns["date"])[:100])


def _row_date(session: InfoSession, row: FormRow, default: str | None, file: str) -> Occurrence:
    """The date a row is for: its own date column, else `default`; DomainError naming file, row and field."""
    wanted = row.date or default
    try:
        return choose_occurrence(session, _date_id(session, wanted) if wanted else None)
    except DomainError as exc:
        field_name = "date" if row.date else "date (no date column; give --occurrence)"
        raise DomainError(f"{file}: row {row.number}: {field_name}: {exc}; nothing was imported") from None


def _date_id(session: InfoSession, text: str) -> str:
    """A date's id from what a form says: its id, YYYY-MM-DD, DD/MM/YYYY, or words naming it ("16 February")."""
    text = " ".join(text.split())
    if session.occurrence(text) is not None:
        return text
    with contextlib.suppress(DomainError, ValueError):
        return parse_date(text.split(" ")[0].rstrip(",")).isoformat()
    named = dates_named(session, text)
    return named[0] if len(named) == 1 else text


def import_registrations(ctx: AppContext, slug: str, path: Path, *, dry_run: bool = False,
                         occurrence: str | None = None) -> RegistrationImport:
    """Register everyone in the export in arrival order (capacity, then waiting list, per date), as one write.
    For a session on several dates each row needs a date (a date column, or `occurrence` for every row)."""
    rows = read_form_export(path)
    report = RegistrationImport(file=path.name, rows=len(rows), dry_run=dry_run)
    with PLACES_LOCK, contextlib.nullcontext() if dry_run else ctx.store.transaction():
        session = scheduled_session(ctx, slug)
        existing = registrations_for(ctx, slug)
        active = {r.key for r in existing if r.active}
        position = max((r.position for r in existing), default=-1)
        seen: set[str] = set()
        new: list[Registration] = []
        for row in rows:
            key = normalise_email(row.email)
            if key in seen:
                report.duplicates_in_file += 1
                continue
            seen.add(key)
            if key in active:
                report.already_registered += 1
                continue
            date = _row_date(session, row, occurrence, path.name)
            mode = mode_for(session.at(date), row.mode)
            status = newcomer_status([*existing, *new], date, mode)
            position += 1
            new.append(Registration(
                id=registration_id(slug, row.email), session_slug=slug, occurrence_id=date.id, email=row.email,
                name=row.name, organisation=row.organisation, mode=mode, status=status,
                registered_at=row.submitted or ctx.clock.now(), position=position, source=f"import:{path.name}"[:200]))
            (report.confirmed if status is RegistrationStatus.CONFIRMED else report.waitlisted).append(row.email)
        if dry_run:
            return report
        ctx.store.registrations.put_many(new)
        for registration in new:
            queue_mail(ctx, registration, welcome_kind(registration))
    return report
