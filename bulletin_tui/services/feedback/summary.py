"""What the questionnaires say: per session (responses, response rate, ratings) and pooled over a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...domain.feedback import QuestionSummary, good_phrase, percent, summarise_questions
from ...domain.sessions import InfoSession
from ...domain.times import british_date
from ..aggregates.kept import session_figures
from ..context import AppContext
from ..sessions.catalogue import get_session
from .imports import responses_for
from .mapping import saved_mapping


@dataclass
class SessionFeedback:
    session: InfoSession
    responses: int
    attendees: int | None  # None: attendance not recorded
    questions: list[QuestionSummary] = field(default_factory=list)
    comments: int = 0
    status: str = ""  # as the session list says it: delivered, scheduled, cancelled...

    @property
    def response_rate(self) -> int | None:
        """Responses per attendee, as a whole percentage; None when attendance is not recorded (or nobody came),
        or when there are more responses than recorded attendees (attendance is then incomplete, not 400 %)."""
        if not self.attendees or self.responses > self.attendees:
            return None
        return percent(self.responses, self.attendees)

    def rate_text(self) -> str:
        if self.attendees is None:
            return "attendance not recorded"
        if not self.attendees:
            return "no attendees recorded"
        if self.response_rate is None:
            return f"more responses than the {self.attendees} attendees recorded: is attendance complete?"
        return f"{self.response_rate} % of {self.attendees} attendees"

    def papers_line(self) -> str:
        """`41 questionnaire responses; 100 % rated delivery good or excellent` (the wording of the papers)."""
        noun = "questionnaire response" + ("" if self.responses == 1 else "s")
        good = good_phrase(self.questions)
        return f"{self.responses} {noun}" + (f"; {good}" if good else "")

    def as_json(self) -> dict[str, Any]:
        s = self.session
        return {
            "slug": s.slug,
            "title": s.title,
            "status": self.status or s.status.value,
            "date": s.local_start.date().isoformat(),
            "responses": self.responses,
            "attendees": self.attendees,
            "response_rate": self.response_rate,
            "comments": self.comments,
            "line": self.papers_line(),
            "questions": [
                {
                    "label": q.label,
                    "answered": q.answered,
                    "good_or_excellent": q.good,
                    "good_or_excellent_percent": q.good_percent,
                    "distribution": q.distribution,
                }
                for q in self.questions
            ],
        }


def attendees(ctx: AppContext, slug: str) -> int | None:
    """How many attended, from the registrations (or the count kept once they were removed under the retention
    schedule); None when no attendance was recorded."""
    return session_figures(ctx, slug).attended


def session_feedback(ctx: AppContext, slug: str) -> SessionFeedback:
    """The summary of one session's questionnaires (questions in the order of its kind's saved mapping)."""
    session = get_session(ctx, slug)
    found = responses_for(ctx, slug)
    mapping = saved_mapping(ctx, session.kind.value)
    questions = summarise_questions(found, mapping.rated if mapping else ())
    return SessionFeedback(
        session,
        len(found),
        attendees(ctx, slug),
        questions,
        sum(1 for r in found if r.comments),
        session.status_at(ctx.clock.now()),
    )


def summary_text(feedback: SessionFeedback) -> list[str]:
    """The summary as lines for the terminal: the papers' line, the response rate, each question's answers."""
    s = feedback.session
    lines = [f"{s.title} ({british_date(s.start)})", feedback.papers_line(), f"Response rate: {feedback.rate_text()}"]
    if not feedback.responses:
        return [*lines, f"No questionnaires imported yet: bulletin-tui feedback import {s.slug} FILE"]
    for q in feedback.questions:
        spread = ", ".join(f"{bucket} {count}" for bucket, count in q.distribution.items())
        lines.append(f"  {q.label}: {q.good_percent} % good or excellent of {q.answered} ({spread})")
    lines.append(f"Comments: {feedback.comments} response(s) with a comment")
    return lines


@dataclass
class YearFeedback:
    sessions: list[SessionFeedback]
    questions: list[QuestionSummary]

    @property
    def responses(self) -> int:
        return sum(f.responses for f in self.sessions)

    def year_line(self) -> str:
        """`N responses across M sessions; X % rated delivery good or excellent` (pooled, not averaged)."""
        count = len(self.sessions)
        good = good_phrase(self.questions)
        return (
            f"{self.responses} response{'' if self.responses == 1 else 's'} across {count} "
            f"session{'' if count == 1 else 's'}" + (f"; {good}" if good else "")
        )


def year_feedback(ctx: AppContext, slugs: list[str]) -> YearFeedback:
    """Feedback for the given sessions (those with responses), and every response pooled per question."""
    per_session = [f for f in (session_feedback(ctx, slug) for slug in slugs) if f.responses]
    pooled = [r for f in per_session for r in responses_for(ctx, f.session.slug)]
    order = [q.label for f in per_session for q in f.questions]
    return YearFeedback(per_session, summarise_questions(pooled, dict.fromkeys(order)))
