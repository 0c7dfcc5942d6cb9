"""Prepare an issue once: render the templates, inline the CSS, leave per-recipient tokens in place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.bulletins import BulletinItem
from ..domain.errors import DomainError
from . import personalise
from .inline import inline_css
from .view import IssueContent, IssueView, issue_view

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..config import Settings

HTML_TEMPLATE, TEXT_TEMPLATE, ARCHIVE_TEMPLATE = "email.html.j2", "email.txt.j2", "archive.html.j2"
TOKEN_NAMES = {"name": personalise.NAME, "email": personalise.EMAIL, "list": personalise.LIST,
               "unsubscribe": personalise.UNSUBSCRIBE}
RESTRICTED_SUBJECT_SUFFIX = " (restricted: not for forwarding)"


@dataclass(frozen=True)
class PreparedIssue:
    """One variant of an issue, rendered and inlined once; `html`/`text` carry tokens, `archive_html` none."""

    slug: str
    subject: str
    html: str
    text: str
    archive_html: str
    restricted: bool
    item_ids: tuple[str, ...]
    view: IssueView
    tokens: tuple[str, ...] = personalise.TOKENS

    @property
    def html_bytes(self) -> int:
        return len(self.html.encode("utf-8"))


def render_issue(content: IssueContent, settings: Settings, *, restricted: bool = False) -> PreparedIssue:
    """Render the HTML email (inlined once), the plain text and the archive page of one variant."""
    from .environment import cached_environment  # jinja2 is imported on first render, not at start-up

    issue, items = content.issue, content.items
    env = cached_environment(settings.templates_dir)
    view = issue_view(content, settings.sender, settings.bulletin, restricted=restricted)
    public_view = view if not restricted else issue_view(content, settings.sender, settings.bulletin,
                                                         restricted=False)
    html = inline_css(render_template(env, HTML_TEMPLATE, v=view, personal=TOKEN_NAMES))
    text = tidy_text(render_template(env, TEXT_TEMPLATE, v=view, personal=TOKEN_NAMES))
    archive = render_template(env, ARCHIVE_TEMPLATE, v=public_view, personal=None)
    subject = issue.title + (RESTRICTED_SUBJECT_SUFFIX if restricted and _has_restricted(items) else "")
    return PreparedIssue(
        slug=issue.slug, subject=subject, html=html, text=text, archive_html=archive, restricted=restricted,
        item_ids=tuple(item.id for item in view.items), view=view,
    )


def render_template(env: Environment, name: str, **values: Any) -> str:
    """Render one template; template mistakes become one-line errors naming the file and line."""
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return env.get_template(name).render(**values)
    except TemplateSyntaxError as exc:
        raise DomainError(f"template {exc.filename or exc.name or name}, line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise DomainError(f"template {name}: {exc.message or exc}") from None


def tidy_text(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _has_restricted(items: list[BulletinItem]) -> bool:
    return any(item.restricted for item in items)
