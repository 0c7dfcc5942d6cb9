"""Plain-text helpers for the text template: wrapping to 78 columns, underlined headings, numbered links."""

from __future__ import annotations

import textwrap

from jinja2 import Environment

TEXT_WIDTH = 78


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Wrap prose to `width` columns without breaking words or URLs."""
    paragraphs = [p for p in text.replace("\r", "").split("\n\n") if p.strip()]
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), width=width, initial_indent=indent, subsequent_indent=indent,
                      break_long_words=False, break_on_hyphens=False)
        for p in paragraphs
    )


def underline(text: str, char: str = "=") -> str:
    """A heading with a rule beneath it, as wide as the heading (at most 78)."""
    heading = wrap(text)
    longest = max((len(line) for line in heading.splitlines()), default=0)
    return f"{heading}\n{char * min(longest, TEXT_WIDTH)}"


def register_text_filters(env: Environment) -> None:
    env.filters["wrap78"] = wrap
    env.filters["underline"] = underline
