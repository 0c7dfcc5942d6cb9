"""Prepare an issue once: render the templates, inline the CSS, leave per-recipient tokens in place."""

from __future__ import annotations

import re
import secrets
import string
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
# Text typed into an item that looks like a token (XBT...X) gets an invisible zero-width space after "XB", so
# personalisation never fills it in; the templates' own tokens are placed through one-off stand-ins.
FORGED_TOKEN_RE = re.compile(r"XB(?=T[A-Z]*X)")
TOKEN_BREAK = "XB\u200b"


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
    stand_ins = _stand_ins()
    html = _with_tokens(inline_css(render_template(env, HTML_TEMPLATE, v=view, personal=stand_ins)), stand_ins)
    text = _with_tokens(tidy_text(render_template(env, TEXT_TEMPLATE, v=view, personal=stand_ins)), stand_ins)
    archive = render_template(env, ARCHIVE_TEMPLATE, v=public_view, personal=None)
    subject = issue.title + (RESTRICTED_SUBJECT_SUFFIX if restricted and _has_restricted(items) else "")
    return PreparedIssue(
        slug=issue.slug, subject=subject, html=html, text=text, archive_html=archive, restricted=restricted,
        item_ids=tuple(item.id for item in view.items), view=view,
    )


def _stand_ins() -> dict[str, str]:
    """Random capitals as long as each token (so wrapping is unchanged), unknowable to whoever wrote the items."""
    letters = string.ascii_uppercase
    return {key: "Q" + "".join(secrets.choice(letters) for _ in range(len(token) - 2)) + "Q"
            for key, token in TOKEN_NAMES.items()}


def _with_tokens(rendered: str, stand_ins: dict[str, str]) -> str:
    """Defuse token look-alikes from item text, then put the real tokens where the templates asked for them."""
    rendered = FORGED_TOKEN_RE.sub(TOKEN_BREAK, rendered)
    for key, stand_in in stand_ins.items():
        rendered = rendered.replace(stand_in, TOKEN_NAMES[key])
    return rendered


def render_template(env: Environment, name: str, **values: Any) -> str:
    """Render one template; template mistakes become one-line errors naming the file and line."""
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return env.get_template(name).render(**values)
    except TemplateSyntaxError as exc:
        raise DomainError(f"template {exc.filename or exc.name or name}, line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise DomainError(f"template {name}: {exc.message or exc}") from None
    except RecursionError:  # a macro calling itself, a template extending or including itself
        raise DomainError(
            f"template {template_file(env, name)} never ends: a macro calls itself, or a template extends or "
            f'includes itself (to build on a built-in template, extend "builtin/{name}")'
        ) from None


def template_file(env: Environment, name: str) -> str:
    """The file a template name is loaded from (the user's folder or the built-ins), for messages."""
    from jinja2 import TemplateError

    try:
        return env.get_template(name).filename or name
    except (TemplateError, RecursionError):
        return name


def tidy_text(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _has_restricted(items: list[BulletinItem]) -> bool:
    return any(item.restricted for item in items)
