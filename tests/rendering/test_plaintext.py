"""The plain-text part: ≤ 78 columns whatever the item text, links listed, nothing lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tui.rendering.markdown import markdown_text
from bulletin_tui.rendering.plaintext import underline, wrap

words = st.lists(st.text(alphabet="abcdefghij£é-", min_size=1, max_size=30), min_size=1, max_size=80)


@settings(max_examples=200, deadline=None)
@given(words)
def test_wrapped_lines_fit_unless_one_word_is_longer(parts: list[str]) -> None:
    for line in wrap(" ".join(parts)).splitlines():
        assert len(line) <= 78 or " " not in line.strip()
    assert wrap(" ".join(parts)).split() == " ".join(parts).split(), "no word is lost or split"


@settings(max_examples=200, deadline=None)
@given(words)
def test_markdown_text_fits_and_keeps_words(parts: list[str]) -> None:
    source = " ".join(parts)
    text = markdown_text(source, [])
    assert all(len(line) <= 78 or " " not in line.strip() for line in text.splitlines())


def test_lists_and_links_read_well() -> None:
    links: list[str] = []
    text = markdown_text("Intro with [a link](https://a.example.org).\n\n1. first\n2. second\n\n- x\n- y", links)
    assert text == "Intro with a link [1].\n\n1. first\n2. second\n\n- x\n- y"
    assert links == ["https://a.example.org"]


def test_underline_matches_heading_width() -> None:
    assert underline("Funding", "-") == "Funding\n-------"
    long_heading = underline("word " * 30)
    assert all(len(line) <= 78 for line in long_heading.splitlines())
