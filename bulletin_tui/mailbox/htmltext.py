"""HTML mail as plain text: paragraphs kept, quoted blocks marked `> `, link targets kept as inline markers.

A link becomes its text followed by `LINK_START + href + LINK_END`, so that a reader of the text can find the
links of the part it keeps (the markers never leave `mailbox/`: `strip_markers` removes them)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

LINK_START, LINK_END = "\x02", "\x03"
MARKER = re.compile(f"{LINK_START}([^{LINK_END}]*){LINK_END}")
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "hr",
    "pre",
    "address",
}
_LINE = {"tr", "li", "dt", "dd"}
_SKIP = {"script", "style", "head", "title", "template", "noscript"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.skip_depth = 0
        self.hrefs: list[str] = []

    def _break(self, blank: bool) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
        if blank and len(self.lines) > 1 and self.lines[-2].strip():
            self.lines.append("")

    def _write(self, text: str) -> None:
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "blockquote":
            self._break(blank=True)
            self.quote_depth += 1
        elif tag in _BLOCK:
            self._break(blank=True)
        elif tag == "br":  # a second <br> in a row makes a paragraph (Gmail writes paragraphs so)
            self._break(blank=not self.lines[-1].strip())
        elif tag in _LINE:
            self._break(blank=False)
            if tag == "li":
                self._write("- ")
        elif tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        elif tag in ("td", "th"):
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(self.skip_depth - 1, 0)
        elif tag == "blockquote":
            self._break(blank=True)
            self.quote_depth = max(self.quote_depth - 1, 0)
        elif tag in _BLOCK:
            self._break(blank=True)
        elif tag == "a" and self.hrefs:
            href = self.hrefs.pop().strip()
            if href.lower().startswith(("http://", "https://")):
                self._write(f"{LINK_START}{href}{LINK_END}")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", data)
        if not self.lines[-1].strip(" >"):
            text = text.lstrip()
        if text:
            self._write(text)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: one paragraph per block, blank lines between, links as markers."""
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # a badly broken document: keep what was read
        pass
    lines = [line.rstrip() for line in parser.lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_markers(text: str) -> str:
    """The text without link markers."""
    return MARKER.sub("", text)
