"""Feedback fixtures: the Forms export of the ASB Tools & Powers CPD (kcst-facts S08) and sessions to import into."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.domain.sessions import InfoSession, SessionKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions.attendance import mark_attendance
from bulletin_tui.services.sessions.registrations import register

DATA = Path(__file__).parent.parent / "data" / "feedback"
FORMS_CSV = DATA / "forms-asb-cpd.csv"
HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "How would you rate the delivery of the training?",
    "How would you rate the content?",
    "How would you rate the venue?",
    "Any other comments or suggestions?",
]

MakeSession = Callable[..., InfoSession]


@pytest.fixture
def make_session(ctx: AppContext) -> MakeSession:
    """A session from London wall-clock text (a training day by default)."""

    def make(
        slug: str = "asb-cpd-2022-02-28",
        *,
        start: str = "2022-02-28 09:30",
        end: str = "16:30",
        kind: SessionKind = SessionKind.TRAINING,
        **fields: Any,
    ) -> InfoSession:
        starts, ends = sessions.parse_times(start, end)
        fields.setdefault("title", "ASB Tools & Powers Continual Professional Development for Partnerships")
        return sessions.create_session(ctx, slug=slug, start=starts, end=ends, kind=kind, **fields)

    return make


def record_attendance(ctx: AppContext, slug: str, attended: int, absent: int = 0) -> None:
    """Register `attended + absent` people and mark them attended or not (as staff do after the day)."""
    for n in range(attended + absent):
        email = f"delegate{n + 1}@example.org"
        register(ctx, slug, email)
        mark_attendance(ctx, slug, email, n < attended)
