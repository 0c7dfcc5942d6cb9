"""Rendering: golden files (fixed clock, fixed UIDs) plus parse assertions so a snapshot cannot bless broken output."""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from bulletin_tui.rendering import TOKENS, personal_values, substitute
from bulletin_tui.rendering.htmlscan import scan_html
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.bulletins.render import render_to_folder
from bulletin_tui.services.context import AppContext

from .conftest import ISSUE


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "txt"


class HtmlSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "html"


class _Balance(HTMLParser):
    """Counts open/close of the structural tags so a broken template cannot pass."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"table": 0, "tr": 0, "td": 0, "h2": 0, "h3": 0, "a": 0}

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.depth:
            self.depth[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1


def _balanced(html: str) -> bool:
    parser = _Balance()
    parser.feed(html)
    return all(value == 0 for value in parser.depth.values())


def test_html_golden_and_structure(issue_ctx: AppContext, snapshot) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE)
    assert prepared.html == snapshot(extension_class=HtmlSnapshot)
    assert prepared.html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in prepared.html
    assert _balanced(prepared.html)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", prepared.html, re.S)
    assert len(styles) == 1, "only the ignore-marked responsive block may stay"
    assert "@media" in styles[0] and "width: 100% !important" in styles[0] and ".foot a" not in styles[0]
    assert 'height="auto"' not in prepared.html
    assert re.search(r'<h1 style="[^"]*font-size:24px', prepared.html), "CSS must be inlined"
    headings = [text for _, text in scan_html(prepared.html).headings]
    assert headings[:4] == ["Community Safety e-Bulletin, December 2026", "Legislation and policy",
                            "Domestic Abuse Act guidance", "Funding opportunities"]
    assert "Upcoming sessions" in headings and "Too far ahead" not in headings
    assert all(token in prepared.html for token in TOKENS)


def test_text_golden_and_layout(issue_ctx: AppContext, snapshot) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE)
    assert prepared.text == snapshot(extension_class=TextSnapshot)
    for line in prepared.text.splitlines():
        assert len(line) <= 78 or re.fullmatch(r"\s*\S+", line), f"line too long: {line!r}"
    assert "Closing date: Friday 15 January 2027" in prepared.text
    assert "Closed on Sunday 1 November 2026 (this opportunity has closed)" in prepared.text
    assert "Thursday 10 December 2026, 12.30 pm to 1.30 pm" in prepared.text
    assert "Thursday 14 January 2027, 10 am to 11.30 am" in prepared.text
    assert "[1] https://www.kent.gov.uk/kcsp" in prepared.text
    assert "<p>" not in prepared.text and "&amp;" not in prepared.text


def test_archive_golden_has_no_tokens(issue_ctx: AppContext, snapshot) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE, restricted=True)
    assert prepared.archive_html == snapshot(extension_class=HtmlSnapshot)
    assert not re.search(r"XBT[A-Z]+X", prepared.archive_html)
    assert "DHR case update" not in prepared.archive_html, "the archive is public: no restricted items"
    assert "<main" in prepared.archive_html and _balanced(prepared.archive_html)


def test_restricted_items_only_in_restricted_variant(issue_ctx: AppContext) -> None:
    general = prepare_issue(issue_ctx, ISSUE)
    restricted = prepare_issue(issue_ctx, ISSUE, restricted=True)
    for part in (general.html, general.text, general.archive_html):
        assert "DHR case update" not in part and "partners.example.org" not in part
    assert "dhr-case-update-operation-example" not in general.item_ids
    assert "DHR case update (Operation Example)" in restricted.html
    assert "Restricted: not for publication or forwarding" in restricted.html
    assert "RESTRICTED: not for publication or forwarding." in restricted.text
    assert restricted.subject.endswith("(restricted: not for forwarding)")
    assert general.subject == "Community Safety e-Bulletin, December 2026"


def test_sessions_block_has_calendar_links_and_registration(issue_ctx: AppContext) -> None:
    issue_ctx.settings.sender.archive_url = "https://portal.example.org/bulletins/"
    prepared = prepare_issue(issue_ctx, ISSUE)
    session = prepared.view.sessions[0]
    assert session.google_url.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert "dates=20261210T123000Z%2F20261210T133000Z" in session.google_url
    assert "startdt=2026-12-10T12%3A30%3A00Z" in session.outlook_url
    assert session.ics_url == "https://portal.example.org/bulletins/sessions/csis-dec.ics"
    assert session.register_url.startswith("mailto:kentcommunitysafetyteam@kent.gov.uk?subject=Register")
    assert prepared.view.sessions[1].where == "Hybrid: online or in person at Kroner House, Ashford"
    assert 'href="https://portal.example.org/bulletins/2026-12.html"' in prepared.html


def test_sessions_block_names_speakers_and_says_when_places_are_short(issue_ctx: AppContext) -> None:
    from bulletin_tui.services.sessions.catalogue import edit_session
    from bulletin_tui.services.sessions.registrations import register

    edit_session(issue_ctx, "csis-dec", capacity=2, speakers=["Sam Speaker", "Alex Analyst"],
                 organisations=["Victim Support"])
    edit_session(issue_ctx, "dhr-webinar", capacity=12)
    register(issue_ctx, "csis-dec", "one@example.org")
    register(issue_ctx, "dhr-webinar", "one@example.org")
    register(issue_ctx, "dhr-webinar", "two@example.org")
    first, second = prepare_issue(issue_ctx, ISSUE).view.sessions
    assert first.speakers == "With Sam Speaker and Alex Analyst (Victim Support)"
    assert (first.places, second.places) == ("1 place left.", "10 places left.")
    register(issue_ctx, "csis-dec", "two@example.org")
    register(issue_ctx, "csis-dec", "three@example.org")  # waiting list: still full, not -1
    prepared = prepare_issue(issue_ctx, ISSUE)
    assert prepared.view.sessions[0].places == "Fully booked: register to join the waiting list."
    assert "<strong>Fully booked: register to join the waiting list.</strong>" in prepared.html
    assert "With Sam Speaker and Alex Analyst (Victim Support)\nFully booked" in prepared.text


def test_personal_values_escape_for_html_only(issue_ctx: AppContext) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE)
    html_values, text_values = personal_values(
        prepared, name='Zofia "Zo" <O\'Brien> & Co', unsubscribe_url="https://u.example.org/x?a=1&b=2")
    html = substitute(prepared.html, html_values)
    assert "Hello Zofia &quot;Zo&quot; &lt;O&#x27;Brien&gt; &amp; Co," in html
    assert 'href="https://u.example.org/x?a=1&amp;b=2"' in html
    assert "Hello Zofia \"Zo\" <O'Brien> & Co," in substitute(prepared.text, text_values)
    sneaky_html, _ = personal_values(prepared, name="XBTEMAILX", unsubscribe_url="", email="a@example.org")
    assert "Hello XBTEMAILX," in substitute(prepared.html, sneaky_html), "values are never substituted twice"
    assert text_values["XBTNAMEX"] and personal_values(prepared, name=" ", unsubscribe_url="")[1]["XBTNAMEX"] == \
        "colleague"


def test_render_to_folder_writes_openable_files(issue_ctx: AppContext, tmp_path) -> None:
    result = render_to_folder(issue_ctx, ISSUE, tmp_path / "out")
    names = sorted(p.relative_to(tmp_path / "out").as_posix() for p in result.files)
    assert names == ["archive.html", "issue.html", "issue.txt", "sample.eml", "sessions/csis-dec.ics",
                     "sessions/dhr-webinar.ics"]
    message = email.message_from_bytes((tmp_path / "out/sample.eml").read_bytes(), policy=email.policy.default)
    assert message["To"] == "sample.reader@example.invalid"
    assert message["List-Unsubscribe"].startswith("<mailto:")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Sample Reader," in text and "Hello Sample Reader," in html
    assert not re.search(r"XBT[A-Z]+X", text + html)
    assert html.replace("\r\n", "\n") == (tmp_path / "out/issue.html").read_text()
    assert b"BEGIN:VCALENDAR" in (tmp_path / "out/sessions/csis-dec.ics").read_bytes()


def test_missing_issue_is_a_one_line_error(issue_ctx: AppContext) -> None:
    from bulletin_tui.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no bulletin issue 'nope'"):
        prepare_issue(issue_ctx, "nope")


def test_render_into_a_file_path_is_a_one_line_error(issue_ctx: AppContext, tmp_path) -> None:
    from bulletin_tui.domain.errors import DomainError

    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    with pytest.raises(DomainError, match="cannot write"):
        render_to_folder(issue_ctx, ISSUE, blocker)


def test_sixty_item_issue_stays_well_under_the_clip(issue_ctx: AppContext) -> None:
    from bulletin_tui.services.bulletins import assembly

    for number in range(55):
        assembly.add_item(issue_ctx, ISSUE, title=f"Partnership update number {number}", category="news",
                          summary="A short update that links out to the [full text](https://www.kent.gov.uk/x).",
                          link=f"https://www.kent.gov.uk/news/{number}")
    prepared = prepare_issue(issue_ctx, ISSUE, restricted=True)
    assert len(prepared.item_ids) == 60
    assert prepared.html_bytes < issue_ctx.settings.bulletin.size_warning_kb * 1024
