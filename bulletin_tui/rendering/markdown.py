"""Item summaries: Markdown with raw HTML off and only http(s)/mailto links, to HTML or to wrapped plain text."""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_SCHEMES = ("https://", "http://", "mailto:")
TEXT_WIDTH = 78


def is_safe_link(url: str) -> bool:
    """True for links a reader may follow from an email: http(s) and mailto only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark without raw HTML, images or headings (an item must not break the email's heading order)."""
    from markdown_it import MarkdownIt  # imported on first use, not at start-up

    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["html_block", "html_inline", "image", "heading", "lheading", "code", "fence", "hr"])
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


def markdown_html(source: str) -> str:
    """Safe HTML for a summary (user text escaped, unsafe links left as literal text)."""
    return str(_parser().render(source)).strip()


def markdown_text(source: str, links: list[str], *, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Readable plain text: paragraphs wrapped to `width`, each link numbered `[n]` and appended to `links`."""
    blocks: list[str] = []
    prefix, words, list_depth = "", [], 0
    for token in _parser().parse(source):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            if blocks and list_depth == 1:
                blocks.append("")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "paragraph_open" and not list_depth and blocks:
            blocks.append("")
        elif token.type == "list_item_open":
            prefix = "- " if token.markup in "-*+" else f"{token.info}. "
        elif token.type == "inline":
            words.append(_inline_text(token.children or [], links))
        elif token.type in ("paragraph_close", "list_item_close") and words:
            first = indent + prefix
            blocks.append(textwrap.fill(" ".join(words), width=width, initial_indent=first,
                                        subsequent_indent=indent + " " * len(prefix),
                                        break_long_words=False, break_on_hyphens=False))
            words, prefix = [], ""
    return "\n".join(blocks)


def _inline_text(children: list[Token], links: list[str]) -> str:
    """The words of one inline run; a link becomes `text [n]`."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "link_close":
            href = _open_link_href(children, child)
            if href:
                links.append(href)
                parts.append(f" [{len(links)}]")
    return "".join(parts)


def _open_link_href(children: list[Token], closing: Token) -> str:
    """The href of the link a `link_close` token closes."""
    depth = 0
    for child in reversed(children[: children.index(closing)]):
        if child.type == "link_close":
            depth += 1
        elif child.type == "link_open":
            if depth == 0:
                return str(child.attrGet("href") or "")
            depth -= 1
    return ""
