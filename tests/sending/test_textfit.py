"""Refilling personalised paragraphs: nothing lost, nothing over 78 columns but a lone URL or an unbreakable word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bulletin_tui.sending.textfit import fit_paragraph, is_lone_url, paragraphs

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé@.-", min_size=1, max_size=30)


@given(st.lists(WORD, min_size=1, max_size=60), st.sampled_from(["", "  "]))
def test_refilled_prose_keeps_every_word_within_78_columns(words: list[str], indent: str) -> None:
    paragraph = indent + " ".join(words) + "\n"
    fitted = fit_paragraph(paragraph)
    assert fitted.split() == words and fitted.endswith("\n")
    for line in fitted.removesuffix("\n").split("\n"):
        assert len(line) <= 78 or " " not in line.strip()
        assert line.startswith(indent)


def test_a_url_alone_on_its_line_is_kept_whole() -> None:
    url = "https://community-safety.kent.example.org/preferences/unsubscribe/u1." + "x" * 60
    paragraph = f"Unsubscribe from this list:\n  {url}\n"
    assert fit_paragraph(paragraph) == paragraph and is_lone_url(f"  {url}")
    long_greeting = "Hello " + "Montgomery-Fitzwilliam " * 5 + ",\n"
    assert max(len(line) for line in fit_paragraph(long_greeting + f"  {url}\n").split("\n")[:-2]) <= 78


@given(st.text(alphabet="ab \n", max_size=80))
def test_paragraph_cuts_join_back_to_the_text(text: str) -> None:
    assert "".join(paragraphs(text)) == text
