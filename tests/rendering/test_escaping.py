"""Hostile item text is data: escaped, never executed, never template source; unsafe links never become links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_tui.rendering.htmlscan import scan_html
from bulletin_tui.rendering.markdown import markdown_html, markdown_text
from bulletin_tui.services.bulletins import assembly
from bulletin_tui.services.bulletins import issues as bulletins
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.context import AppContext

HOSTILE_TITLE = '<script>alert("t")</script> {{ 7*7 }} {% raw %}x'
HOSTILE_SUMMARY = (
    '<img src=x onerror=alert(1)> <b>bold</b> [click](javascript:alert(2)) [data](data:text/html,hi) '
    '{{ config }} {% for x in range(3) %}loop{% endfor %} <a href="javascript:alert(3)">a</a>'
)


@pytest.fixture
def hostile(ctx: AppContext) -> AppContext:
    bulletins.create_issue(ctx, "hostile", 'Issue "<b>bold</b>" {{ 1+1 }}', intro="<script>intro()</script>")
    assembly.add_item(ctx, "hostile", title=HOSTILE_TITLE, category="news", summary=HOSTILE_SUMMARY,
                      link="https://example.org/?a=1&b=<2>", link_text='Read "more" <now>',
                      source_organisation="<i>Org</i> & co")
    return ctx


def _attribute_values(html: str) -> list[str]:
    """Every attribute value of every real tag (text that merely looks like a tag is not parsed as one)."""
    values: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values.extend(value or "" for _, value in attrs)

    Collector().feed(html)
    return values


def test_hostile_text_is_literal_in_html(hostile: AppContext) -> None:
    prepared = prepare_issue(hostile, "hostile")
    for part in (prepared.html, prepared.archive_html):
        assert not re.search(r"<script|<img|<b>|<i>", part, re.I), "no tag from item text survives"
        assert not [v for v in _attribute_values(part) if re.match(r"\s*(javascript|data|vbscript):", v, re.I)]
        assert "&lt;img src=x onerror=alert(1)&gt;" in part
        assert HOSTILE_TITLE in [text for _, text in scan_html(part).headings], "the title reads literally"
        assert "{% for x in range(3) %}loop{% endfor %}" in part, "Jinja syntax in items is never evaluated"
        assert "49" not in part and "looploop" not in part
        assert "&lt;i&gt;Org&lt;/i&gt; &amp; co" in part
        assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in part
    hrefs = [link.href for link in scan_html(prepared.html).links]
    assert all(h.startswith(("https://", "mailto:")) or h.startswith("XBT") for h in hrefs)


def test_hostile_text_is_literal_in_plain_text(hostile: AppContext) -> None:
    text = prepare_issue(hostile, "hostile").text
    assert '<script>alert("t")</script> {{ 7*7 }} {% raw %}x' in text
    assert "[click](javascript:alert(2))" in text, "an unsafe link stays visible text, not a listed link"
    assert "javascript:" not in "".join(re.findall(r"\[\d+\] (\S+)", text))


def test_subject_is_plain_title(hostile: AppContext) -> None:
    assert prepare_issue(hostile, "hostile").subject == 'Issue "<b>bold</b>" {{ 1+1 }}'


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x",
                                 "file:///etc/passwd", "//evil.example.org", "java\tscript:alert(1)"])
def test_markdown_never_links_unsafe_schemes(url: str) -> None:
    html = markdown_html(f"[go]({url}) <{url}>")
    assert "<a " not in html


def test_markdown_keeps_safe_links_and_escapes() -> None:
    assert markdown_html("[KCC](https://www.kent.gov.uk) & [mail](mailto:a@b.org)") == (
        '<p><a href="https://www.kent.gov.uk">KCC</a> &amp; <a href="mailto:a@b.org">mail</a></p>')
    links: list[str] = []
    assert markdown_text("See [KCC](https://www.kent.gov.uk).", links) == "See KCC [1]."
    assert links == ["https://www.kent.gov.uk"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_markdown_output_never_contains_raw_tags(source: str) -> None:
    html = markdown_html(source)
    tags = re.findall(r"<\s*([a-zA-Z0-9]+)", html)
    assert set(tags) <= {"p", "a", "em", "strong", "code", "ul", "ol", "li", "br", "blockquote"}
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html)).lower()
