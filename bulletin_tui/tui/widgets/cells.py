"""Table cells from user data: plain content, never parsed as markup (names may contain `[`), cheap to measure."""

from __future__ import annotations

from textual.content import Content


def plain(value: object) -> Content:
    """A cell showing the value's text exactly as written."""
    return Content("" if value is None else str(value))


def plain_row(*values: object) -> tuple[Content, ...]:
    return tuple(plain(value) for value in values)
