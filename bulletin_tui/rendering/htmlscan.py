"""One pass over rendered HTML collecting what the pre-send checks look at (headings, links, images, colours)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Link:
    href: str
    text: str


@dataclass
class TextStyle:
    """A run of visible text with the colour and background in force there."""

    tag: str
    color: str
    background: str
    text: str


@dataclass
class Scan:
    headings: list[tuple[int, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    styled_text: list[TextStyle] = field(default_factory=list)
    h2_content: dict[int, int] = field(default_factory=dict)


def style_of(attrs: dict[str, str]) -> dict[str, str]:
    """The declarations of a `style` attribute, lower-cased names."""
    out = {}
    for declaration in attrs.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if value.strip():
            out[name.strip().lower()] = value.strip().removesuffix("!important").strip()
    return out


class _Scanner(HTMLParser):
    def __init__(self, default_color: str, default_background: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self.stack: list[tuple[str, str, str, bool]] = [("", default_color, default_background, False)]
        self.link: Link | None = None
        self.heading: list[str] | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        _, color, background, hidden = self.stack[-1]
        style = style_of(attrs)
        background = style.get("background-color") or style.get("background") or attrs.get("bgcolor") or background
        hidden = hidden or style.get("display") == "none"
        if tag in VOID:
            if tag == "img" and "alt" not in attrs:
                self.scan.images_without_alt.append(attrs.get("src", "(no src)"))
            return
        self.stack.append((tag, style.get("color", color), background, hidden))
        if tag == "a":
            self.link = Link(href=attrs.get("href", ""), text="")
        elif tag in HEADINGS:
            self.heading = []
        if tag in ("h3", "p", "li", "ul", "ol") and self.scan.headings and self.scan.headings[-1][0] == 2:
            index = len(self.scan.headings) - 1
            self.scan.h2_content[index] = self.scan.h2_content.get(index, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.stack) > 1:
            popped = self.stack.pop()[0]
            if tag in HEADINGS and popped == tag and self.heading is not None:
                self.scan.headings.append((int(tag[1]), " ".join("".join(self.heading).split())))
                self.heading = None
            if tag == "a" and popped == "a" and self.link is not None:
                self.link.text = " ".join(self.link.text.split())
                self.scan.links.append(self.link)
                self.link = None
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        tag, color, background, hidden = self.stack[-1]
        if self.link is not None:
            self.link.text += data
        if self.heading is not None:
            self.heading.append(data)
        if data.strip() and not hidden and tag not in ("style", "title", "script"):
            self.scan.styled_text.append(TextStyle(tag, color, background, data.strip()))


def scan_html(html: str, *, default_color: str = "#000000", default_background: str = "#ffffff") -> Scan:
    """Headings in order, links with their text, images lacking alt, and coloured text runs."""
    scanner = _Scanner(default_color, default_background)
    scanner.feed(html)
    scanner.close()
    return scanner.scan
