"""Import a questionnaire export (Microsoft Forms or any CSV/XLSX) for one session: all or nothing, once per row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ...domain.errors import DomainError
from ...domain.feedback import RATING, FeedbackMapping, FeedbackResponse, Rating
from ...domain.ratings import answer_key, as_datetime, number_scale, read_rating, word_scale
from ...domain.text import email_address
from ...domain.times import london_time
from ...storage.collection import Collection
from ..context import AppContext, one_write
from ..sessions.catalogue import get_session
from .mapping import choose_mapping, save_mapping
from .sheet import Cell, Sheet, cell_text, read_sheet

TABLE = "feedback_responses"
ANONYMOUS = ("anonymous", "anon", "n/a", "-")
"""An address cell that means "none" (kept as it was: it is part of a response's identity, see `_row_id`)."""
NO_ONE = ("", *ANONYMOUS, "anonymous user", "anonymous respondent", "none")
"""A name or address cell that names nobody: Microsoft Forms writes "anonymous" in both when it did not ask."""


def names_nobody(text: str) -> bool:
    """Empty, or a placeholder such as "Anonymous" or "Anonymous User" (any case or spacing)."""
    return " ".join(text.lower().split()) in NO_ONE


@dataclass
class FeedbackImport:
    """What an import did (or, in a dry run, would do)."""

    file: str
    session_slug: str
    mapping: FeedbackMapping
    origin: str
    rows: int = 0
    added: int = 0
    already_imported: int = 0
    duplicates_in_file: int = 0
    names_kept: bool = False
    names_dropped: bool = False
    names_without_address: int = 0
    """Names left out even with --keep-names: a name alone cannot be found by subject access or erased."""
    mapping_saved: bool = False
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)


def responses(ctx: AppContext) -> Collection[FeedbackResponse]:
    return ctx.store.collection(TABLE, FeedbackResponse, lambda r: r.id)


def responses_for(ctx: AppContext, slug: str) -> list[FeedbackResponse]:
    """A session's responses, oldest first."""
    stored = responses(ctx)
    every_key = stored.keys()  # (iterating a Collection yields models; its keys are a list)
    keys = [key for key in every_key if (stored.row(key) or {}).get("session_slug") == slug]  # no validation
    found = [response for response in (stored.get(key) for key in keys) if response is not None]
    return sorted(found, key=lambda r: (r.submitted is None, r.submitted or datetime.min, r.id))


def responses_from(ctx: AppContext, slug: str, file: str | None = None) -> list[FeedbackResponse]:
    """A session's responses; with `file` (a path or file name), only those imported from a file of that name."""
    return [r for r in responses_for(ctx, slug) if file is None or r.source == f"import:{Path(file).name}"]


@dataclass
class _Columns:
    """Column indexes by role, and each rated column's scale as read from its answers."""

    single: dict[str, int]
    comments: list[int]
    rated: list[tuple[int, str, dict[str, int] | None, tuple[int, int]]]

    @classmethod
    def of(cls, sheet: Sheet, mapping: FeedbackMapping) -> _Columns:
        single: dict[str, int] = {}
        comments: list[int] = []
        rated = []
        for index, header in enumerate(sheet.header):
            role = mapping.role_of(header) if header else None
            if role is None or role == "ignore":
                continue
            if role.startswith(RATING):
                values = sheet.values(index)
                rated.append((index, role.removeprefix(RATING), word_scale(values), number_scale(values)))
            elif role == "comments":
                comments.append(index)
            else:
                single[role] = index
        return cls(single, comments, rated)


def _where(sheet: Sheet, number: int, index: int) -> str:
    header = " ".join(sheet.header[index].split())[:60]
    return f"{sheet.file}: row {number}, column {sheet.column_letter(index)} '{header}'"


def _rating(text: str, scale: dict[str, int] | None, numbers: tuple[int, int]) -> Rating:
    points, low, high = read_rating(text, scale, numbers)
    key = answer_key(text)
    word = key.capitalize() if scale is not None and key in scale else ""
    return Rating(points=points, low=low, high=high, word=word)


def _submitted(cells: list[Cell], index: int | None) -> datetime | None:
    if index is None or index >= len(cells) or not cell_text(cells, index):
        return None
    return london_time(as_datetime(cells[index]), fold=0)


def _row_id(slug: str, source_id: str, parts: list[Any]) -> str:
    """Stable across imports (and across CSV and XLSX of the same export): the form's ID, else the row's values."""
    basis = f"id\0{source_id}" if source_id else "row\0" + "\0".join(str(p) for p in parts)
    digest = hashlib.sha256(f"{slug}\0{basis}".encode()).hexdigest()
    return f"{slug}-{digest[:20]}"


def _response(
    ctx: AppContext, sheet: Sheet, number: int, cells: list[Cell], columns: _Columns, slug: str, keep_names: bool
) -> FeedbackResponse:
    column: int | None = columns.single.get("submitted")  # the column being read, for the error message
    try:
        submitted = _submitted(cells, column)
        ratings: dict[str, Rating] = {}
        for column, label, scale, numbers in columns.rated:
            if text := cell_text(cells, column):
                ratings[label] = _rating(text, scale, numbers)
        column = columns.single.get("email")
        written = cell_text(cells, len(cells) if column is None else column)
        email = "" if names_nobody(written) else written
        email = email_address(email) if keep_names and email else email
    except (DomainError, ValueError) as exc:
        where = f"{sheet.file}: row {number}" if column is None else _where(sheet, number, column)
        raise DomainError(f"{where}: {exc}; nothing was imported") from None
    comments = [text for i in columns.comments if (text := cell_text(cells, i))]
    name = " ".join(cell_text(cells, columns.single.get("name", len(cells))).split())[:200]
    source_id = cell_text(cells, columns.single.get("id", len(cells)))[:100]
    parts = [
        submitted.isoformat() if submitted else "",
        sorted((k, v.points, v.high) for k, v in ratings.items()),
        comments,
        name,
        (email or ("" if written.lower() in ANONYMOUS else written)).lower(),  # the placeholders as they were
    ]  # before "Anonymous User" was one too: a row imported then keeps its id
    return FeedbackResponse(
        id=_row_id(slug, source_id, parts),
        session_slug=slug,
        source_id=source_id,
        submitted=submitted,
        ratings=ratings,
        comments=comments,
        name=name if keep_names and email and not names_nobody(name) else "",  # no name without an address
        email=email if keep_names else "",
        source=f"import:{sheet.file}"[:200],
        imported_at=ctx.clock.now(),
    )


def _names_without_address(sheet: Sheet, columns: _Columns, found: list[FeedbackResponse]) -> int:
    """Rows that gave a real name but no address (their name was not kept)."""
    named = [not names_nobody(cell_text(cells, columns.single["name"])) for _, cells in sheet.rows]
    return sum(1 for has_name, response in zip(named, found, strict=True) if has_name and not response.email)


def import_feedback(
    ctx: AppContext,
    slug: str,
    path: Path,
    *,
    overrides: list[str] | None = None,
    save: bool = False,
    dry_run: bool = False,
    keep_names: bool = False,
) -> FeedbackImport:
    """Read the export, map its columns (saved mapping of the session's kind, else guessed; `overrides` win) and
    add every response not imported before, as one write. Any bad answer: DomainError, nothing stored."""
    session = get_session(ctx, slug)
    sheet = read_sheet(path)
    mapping, origin = choose_mapping(ctx, session.kind.value, sheet, overrides or [])
    columns = _Columns.of(sheet, mapping)
    asked = "name" in columns.single or "email" in columns.single
    result = FeedbackImport(
        sheet.file,
        slug,
        mapping,
        origin,
        rows=len(sheet.rows),
        dry_run=dry_run,
        names_kept=keep_names and asked,
        names_dropped=asked and not keep_names,
    )
    if keep_names and not asked:
        result.notes.append("--keep-names: the form has no name or e-mail column, so there is nothing to keep")
    found = [_response(ctx, sheet, n, cells, columns, slug, keep_names and asked) for n, cells in sheet.rows]
    if keep_names and "name" in columns.single:
        result.names_without_address = _names_without_address(sheet, columns, found)
    stored, new = responses(ctx), {}
    for response in found:
        if response.id in new:
            result.duplicates_in_file += 1
        elif response.id in stored:
            result.already_imported += 1
        else:
            new[response.id] = response
    result.added = len(new)
    if dry_run:
        return result
    with ctx.store.transaction():
        stored.put_many(new.values())
        if save:
            save_mapping(ctx, mapping)
            result.mapping_saved = True
    return result


@one_write
def remove_responses(ctx: AppContext, slug: str, file: str | None = None) -> int:
    """Delete a session's responses (only those imported from `file`, a file name, when given): the way back from
    an export imported into the wrong session. One write; returns how many were removed."""
    get_session(ctx, slug)
    doomed = [r.id for r in responses_from(ctx, slug, file)]
    with ctx.store.transaction():
        return len(responses(ctx).delete_many(doomed))
