"""The report's feedback section: each delivered session's questionnaires and the year, in the papers' wording."""

from __future__ import annotations

from ...domain.times import british_date
from ..context import AppContext
from ..feedback.summary import year_feedback
from .data import YearFacts
from .document import Block, Bullets, Heading, Paragraph


def feedback_blocks(ctx: AppContext, facts: YearFacts) -> list[Block]:
    """The heading, then the year line and one line per session with responses (and its response rate)."""
    year = year_feedback(ctx, [line.session.slug for line in facts.delivered])
    heading = Heading("Feedback questionnaires", 2)
    if not year.sessions:
        return [heading, Paragraph("No feedback questionnaires were imported for this year's sessions.")]
    lines = [f"**For the year:** {year.year_line()}"]
    for feedback in year.sessions:
        s = feedback.session
        rate = feedback.rate_text()
        lines.append(
            f"{british_date(s.start)}, {s.title}: {feedback.papers_line()} "
            f"({'response rate ' if feedback.response_rate is not None else ''}{rate})"
        )
    return [heading, Bullets(lines)]
