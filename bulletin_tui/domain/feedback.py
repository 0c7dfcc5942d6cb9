"""Feedback questionnaires: responses, the column mapping per session kind, and the "good or excellent" rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import Field, field_validator, model_validator

from .base import Model
from .text import MultiLine, OneLine, Slug

# Column roles in a mapping: one of these, or `rating:<label>` for a rated question.
ROLES = ("id", "submitted", "comments", "name", "email", "ignore")
SINGLE_ROLES = ("id", "submitted", "name", "email")
RATING = "rating:"
LABEL_RE = re.compile(r"^[a-z][a-z0-9 -]{0,29}$")
GOOD_FROM = 0.75
"""A rating counts as "good or excellent" from 3/4 of the way up its scale: the top two points of 1-5 (4, 5),
8-10 of 1-10 or 0-10, the top two of 1-7, the top point of 1-3 and of 1-4."""
GOOD_WORDS = frozenset({"excellent", "very good", "good"})
"""An answer in these words counts whatever its place on the scale: "Good" on Excellent-Very good-Good-Fair-Poor
is third of five, but the person did rate it good."""


def rating_role(label: str) -> str:
    """The role of a rated question with this short label (`delivery` -> `rating:delivery`)."""
    label = re.sub(r"\s+", " ", label.strip().lower())
    if not LABEL_RE.match(label):
        raise ValueError(f"'{label}' is not a short label (letters, digits, spaces, hyphens; up to 30)")
    return RATING + label


def check_role(role: str) -> str:
    """A role as stored: `id`, `submitted`, `comments`, `name`, `email`, `ignore` or `rating:<label>`; a bare
    label (`delivery`) means a rated question."""
    role = role.strip().lower()
    if role in ROLES:
        return role
    return rating_role(role.removeprefix(RATING))


class Rating(Model):
    """One answer to a rated question, as points on its scale (low-high) and the words used, if any."""

    points: int = Field(ge=0, le=10)
    low: int = Field(default=1, ge=0, le=1)
    high: int = Field(default=5, ge=2, le=10)
    word: OneLine = ""

    @model_validator(mode="after")
    def _on_scale(self) -> Rating:
        if not self.low <= self.points <= self.high:
            raise ValueError(f"{self.points} is outside its scale {self.low}-{self.high}")
        return self

    @property
    def position(self) -> float:
        """Where the answer sits on its scale: 0 (worst) to 1 (best)."""
        return (self.points - self.low) / (self.high - self.low)

    @property
    def good_or_excellent(self) -> bool:
        return self.word.lower() in GOOD_WORDS or self.position >= GOOD_FROM


class FeedbackResponse(Model):
    """One returned questionnaire. `name` and `email` are kept only when the form asked and staff chose so."""

    id: OneLine = Field(min_length=1, description="stable: from the form's ID column, else a hash of the row")
    session_slug: Slug
    source_id: OneLine = ""
    submitted: datetime | None = None
    ratings: dict[str, Rating] = Field(default_factory=dict)
    comments: list[MultiLine] = Field(default_factory=list)
    name: OneLine = ""
    email: OneLine = ""
    source: OneLine = ""
    imported_at: datetime

    @field_validator("submitted")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value


class FeedbackMapping(Model):
    """Which column of a questionnaire export means what, saved per session kind (columns by header text)."""

    kind: OneLine = Field(min_length=1)
    columns: dict[str, str] = Field(default_factory=dict)
    saved_at: datetime | None = None

    @field_validator("columns")
    @classmethod
    def _roles(cls, columns: dict[str, str]) -> dict[str, str]:
        checked = {header.strip(): check_role(role) for header, role in columns.items()}
        for role in SINGLE_ROLES:
            named = [header for header, r in checked.items() if r == role]
            if len(named) > 1:
                raise ValueError(f"only one column can be the {role} ({', '.join(named)})")
        labels = [r for r in checked.values() if r.startswith(RATING)]
        if len(labels) != len(set(labels)):
            raise ValueError("two columns have the same rating label")
        return checked

    def role_of(self, header: str) -> str | None:
        return self.columns.get(header.strip())

    @property
    def rated(self) -> list[str]:
        return [role.removeprefix(RATING) for role in self.columns.values() if role.startswith(RATING)]


def percent(part: int, whole: int) -> int:
    """A whole-number percentage rounded half up, as the papers write them (39 of 41 -> 95)."""
    return (200 * part + whole) // (2 * whole)


@dataclass
class QuestionSummary:
    label: str
    answered: int = 0
    good: int = 0
    distribution: dict[str, int] = field(default_factory=dict)  # "Excellent" / "4 of 5" -> how many, best first
    positions: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def good_percent(self) -> int | None:
        return percent(self.good, self.answered) if self.answered else None


def summarise_questions(responses: Iterable[FeedbackResponse], order: Iterable[str] = ()) -> list[QuestionSummary]:
    """One summary per rated question (in `order`, then as first met), pooling every response given."""
    questions: dict[str, QuestionSummary] = {label: QuestionSummary(label) for label in order}
    for response in responses:
        for label, rating in response.ratings.items():
            summary = questions.setdefault(label, QuestionSummary(label))
            summary.answered += 1
            summary.good += rating.good_or_excellent
            bucket = rating.word or f"{rating.points} of {rating.high}"
            summary.distribution[bucket] = summary.distribution.get(bucket, 0) + 1
            summary.positions[bucket] = rating.position
    for q in questions.values():
        q.distribution = dict(sorted(q.distribution.items(), key=lambda kv: (-q.positions[kv[0]], kv[0])))
    return [q for q in questions.values() if q.answered]


def good_phrase(questions: Iterable[QuestionSummary]) -> str:
    """`100 % rated delivery good or excellent, 95 % rated content good or excellent` (the papers' wording)."""
    return ", ".join(f"{q.good_percent} % rated {q.label} good or excellent" for q in questions if q.answered)
