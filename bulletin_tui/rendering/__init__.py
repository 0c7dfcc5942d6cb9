"""Rendering: Jinja templates, safe Markdown, `inline_css()` once per issue, tokens, plain text, pre-send checks."""

from .inline import inline_css
from .personalise import TOKENS, personal_values, substitute
from .prepare import PreparedIssue, render_issue
from .view import IssueContent

__all__ = ["TOKENS", "IssueContent", "PreparedIssue", "inline_css", "personal_values", "render_issue", "substitute"]
