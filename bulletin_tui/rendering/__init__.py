"""Rendering: Jinja templates, safe Markdown, `inline_css()` once per issue, tokens, plain text, pre-send checks."""

from .inline import inline_css
from .personalise import TOKENS, personal_values, substitute
from .prepare import PreparedIssue, prepare_issue

__all__ = ["TOKENS", "PreparedIssue", "inline_css", "personal_values", "prepare_issue", "substitute"]
