"""The column mapping of a questionnaire export: guessed from the headers, overridden with `--map`, saved per
session kind and reused by the next import of that kind."""

from __future__ import annotations

import contextlib
import re

from pydantic import ValidationError

from ...domain.errors import DomainError, describe_validation_error
from ...domain.feedback import RATING, FeedbackMapping, check_role
from ...domain.ratings import number_scale, read_rating, word_scale
from ...domain.sessions import SessionKind
from ...storage.collection import Collection
from ..context import AppContext, one_write
from ..subscribers.csvread import header_key
from .sheet import Sheet

TABLE = "feedback_mappings"
ID_KEYS = ("id", "responseid", "respondentid", "submissionid", "responsenumber")
TIME_KEYS = (
    "completiontime",
    "submittedat",
    "submitted",
    "timestamp",
    "submissiondate",
    "submittedon",
    "endtime",
    "datesubmitted",
    "completed",
)
NAME_KEYS = ("name", "fullname", "yourname", "yourfullname", "respondent", "respondentname")
EMAIL_KEYS = ("email", "emailaddress", "youremail", "youremailaddress", "respondentemail")
COMMENT_WORDS = (
    "comment",
    "suggest",
    "improv",
    "anythingelse",
    "otherfeedback",
    "additionalfeedback",
    "whatdid",
    "tellus",
    "furtherfeedback",
    "why",
)
LABEL_WORDS = (
    ("deliver", "delivery"),
    ("present", "delivery"),
    ("trainer", "delivery"),
    ("speaker", "delivery"),
    ("facilitat", "delivery"),
    ("content", "content"),
    ("material", "content"),
    ("venue", "venue"),
    ("room", "venue"),
    ("location", "venue"),
    ("organis", "organisation"),
    ("organiz", "organisation"),
    ("relevan", "relevance"),
    ("useful", "usefulness"),
    ("overall", "overall"),
    ("recommend", "recommend"),
    ("knowledge", "knowledge"),
    ("confiden", "confidence"),
)
RATING_WORDS = ("rate", "rating", "howwould", "howwas", "satisf", "agree", "score", "outof")
STOP_WORDS = {
    "how",
    "would",
    "you",
    "rate",
    "the",
    "of",
    "a",
    "an",
    "your",
    "please",
    "this",
    "session",
    "what",
    "was",
    "is",
    "to",
    "on",
    "scale",
    "and",
    "did",
    "were",
    "overall",
    "1",
    "5",
    "10",
}


def kind_named(text: str) -> str:
    """A session kind as stored (any case); one line naming the kinds when it is none of them."""
    found = next((k.value for k in SessionKind if k.value.lower() == text.strip().lower()), None)
    if found is None:
        raise DomainError(f"'{text}' is not a session kind ({', '.join(k.value for k in SessionKind)})")
    return found


def mappings(ctx: AppContext) -> Collection[FeedbackMapping]:
    return ctx.store.collection(TABLE, FeedbackMapping, lambda m: m.kind)


def saved_mapping(ctx: AppContext, kind: str) -> FeedbackMapping | None:
    return mappings(ctx).get(kind)


@one_write
def save_mapping(ctx: AppContext, mapping: FeedbackMapping) -> FeedbackMapping:
    return mappings(ctx).put(mapping.model_copy(update={"saved_at": ctx.clock.now()}))


@one_write
def clear_mapping(ctx: AppContext, kind: str) -> bool:
    return mappings(ctx).delete(kind)


def _is_ratings(values: list[str], header: str) -> bool:
    """Most answers of the column read as ratings (at least 4 in 5; half when the header asks for a rating), so
    a column with one odd answer is still taken as rated and the import then names that answer."""
    if not values:
        return False
    scale, numbers = word_scale(values), number_scale(values)
    readable = 0
    for value in values:
        with contextlib.suppress(DomainError):
            read_rating(value, scale, numbers)
            readable += 1
    asks = any(word in header_key(header) for word in RATING_WORDS)
    return readable * (2 if asks else 5) >= len(values) * (1 if asks else 4)


def _label(header: str, taken: set[str]) -> str:
    """A short label for a rated question: a known word (delivery, content, venue...), else the header's words."""
    key = header_key(header)
    label = next((name for stem, name in LABEL_WORDS if stem in key), "")
    if not label:
        words = [w for w in re.findall(r"[a-z0-9]+", header.lower()) if w not in STOP_WORDS]
        label = " ".join(words[:3])[:30] or "rating"
    base, number = label, 2
    while label in taken:
        label, number = f"{base[:27]} {number}", number + 1
    return label


def guess_roles(sheet: Sheet) -> dict[str, str]:
    """Each header's role, guessed from its text and (for rated questions) from its answers."""
    roles: dict[str, str] = {}
    labels: set[str] = set()
    for index, header in enumerate(sheet.header):
        if not header or header in roles:
            continue
        key = header_key(header)
        single = {r for r in roles.values() if r in ("id", "submitted", "name", "email")}
        role = "ignore"
        if key in ID_KEYS and "id" not in single:
            role = "id"
        elif key in TIME_KEYS and "submitted" not in single:
            role = "submitted"
        elif key in NAME_KEYS and "name" not in single:
            role = "name"
        elif key in EMAIL_KEYS and "email" not in single:
            role = "email"
        elif _is_ratings(sheet.values(index), header) and not key.endswith(("time", "date")):
            label = _label(header, labels)
            labels.add(label)
            role = RATING + label
        elif any(word in key for word in COMMENT_WORDS) or "feedback" in key:
            role = "comments"
        roles[header] = role
    return roles


def parse_overrides(overrides: list[str], header: list[str]) -> dict[str, str]:
    """`--map "column=role"` values as {header: role}; DomainError naming a column the file lacks or a bad role."""
    by_key = {header_key(h): h for h in header if h}
    chosen: dict[str, str] = {}
    for override in overrides:
        column, sep, role = override.rpartition("=")
        if not sep or not column.strip():
            raise DomainError(f'--map \'{override}\': use "column=role" (e.g. "How was the delivery?=delivery")')
        found = by_key.get(header_key(column))
        if found is None:
            raise DomainError(f"--map '{override}': the file has no column '{column.strip()}'")
        try:
            chosen[found] = check_role(role)
        except ValueError as exc:
            raise DomainError(f"--map '{override}': {exc}") from None
    return chosen


def choose_mapping(ctx: AppContext, kind: str, sheet: Sheet, overrides: list[str]) -> tuple[FeedbackMapping, str]:
    """The mapping for this import and where it came from ("saved for KIND" or "guessed from the headers")."""
    saved = saved_mapping(ctx, kind)
    if saved is not None:
        missing = [h for h in saved.columns if h not in sheet.header]
        if missing:
            raise DomainError(
                f"{sheet.file}: the mapping saved for {kind} names column '{missing[0]}', which this "
                f"file lacks; map it with --map or clear it with: bulletin-tui feedback mapping "
                f"'{kind}' --clear"
            )
        roles = {h: saved.columns.get(h, "ignore") for h in sheet.header if h}
        origin = f"saved for {kind}"
    else:
        roles, origin = guess_roles(sheet), "guessed from the headers"
    roles.update(parse_overrides(overrides, sheet.header))
    try:
        mapping = FeedbackMapping(kind=kind, columns=roles)
    except ValidationError as exc:
        raise DomainError(f"{sheet.file}: {describe_validation_error(exc)}") from None
    if not mapping.rated:
        raise DomainError(
            f'{sheet.file}: no column was taken as a rated question; name one with --map "column=delivery"'
        )
    return mapping, origin + (" with --map" if overrides else "")
