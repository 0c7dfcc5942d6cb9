"""The follow-up e-mail after a session (materials, feedback questionnaire): HTML inlined once, plain text from its
own template; the greeting is the `XBTNAMEX` token, filled in per recipient in the encoded bytes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .environment import cached_environment
from .inline import inline_css
from .personalise import NAME
from .prepare import FORGED_TOKEN_RE, TOKEN_BREAK, render_template, tidy_text
from .view import ACCESSIBILITY

HTML_TEMPLATE, TEXT_TEMPLATE = "followup.html.j2", "followup.txt.j2"


@dataclass(frozen=True)
class FollowUpLink:
    text: str
    url: str


@dataclass(frozen=True)
class FollowUpView:
    subject: str
    title: str
    date_text: str
    opening: str
    team_name: str
    team_email: str
    telephone: str
    links: tuple[FollowUpLink, ...] = ()
    feedback_url: str = ""
    feedback_text: str = ""
    feedback_ask: str = ""
    note_paragraphs: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    greeting: str = f"Hello {NAME},"
    accessibility: str = ACCESSIBILITY
    privacy_notice_url: str = ""


@dataclass(frozen=True)
class RenderedFollowUp:
    """The shared parts of every recipient's message; `html` and `text` carry the name token."""

    subject: str
    html: str
    text: str
    tokens: tuple[str, ...] = (NAME,)


def _defused(text: str) -> str:
    """Text typed by staff never holds a working token (a typed XBTNAMEX stays as typed)."""
    return FORGED_TOKEN_RE.sub(TOKEN_BREAK, text)


def _safe(view: FollowUpView) -> FollowUpView:
    return replace(
        view,
        opening=_defused(view.opening),
        note_paragraphs=tuple(map(_defused, view.note_paragraphs)),
        links=tuple(FollowUpLink(_defused(link.text), link.url) for link in view.links),
        attachments=tuple(map(_defused, view.attachments)),
        title=_defused(view.title),
    )


def render_followup(templates_dir: Path | None, view: FollowUpView) -> RenderedFollowUp:
    """Render and inline once for the whole campaign (premailer never runs per person)."""
    env = cached_environment(templates_dir)
    safe = _safe(view)
    html = inline_css(render_template(env, HTML_TEMPLATE, v=safe))
    text = tidy_text(render_template(env, TEXT_TEMPLATE, v=safe))
    return RenderedFollowUp(subject=_defused(view.subject), html=html, text=text)
