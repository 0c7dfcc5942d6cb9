"""Table cells from user data: plain text, never parsed as markup (names may contain `[`).

Rich `Text`, not Textual `Content`: DataTable sizes auto-width columns with Rich's measure protocol, which
`Content` does not implement (every column then shrank to its header: "Title" showed five letters)."""

from __future__ import annotations

from rich.text import Text


def plain(value: object) -> Text:
    """A cell showing the value's text exactly as written."""
    return Text("" if value is None else str(value), no_wrap=True, overflow="ellipsis")


def plain_row(*values: object) -> tuple[Text, ...]:
    return tuple(plain(value) for value in values)
