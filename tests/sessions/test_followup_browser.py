"""The follow-up as a reader opens it, in headless Chromium: the HTML part of the message the campaign sends,
screenshots at 600 and 375 px without horizontal overflow, axe-core finds nothing serious, and the feedback link
is a real link with its descriptive text."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.domain.followup import MaterialKind
from bulletin_tui.sending.progress import Recipient
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.followup import followup_builder
from bulletin_tui.services.sessions.followup import MaterialsChange, followup_plan, set_materials

from ..browser_support import chromium, serious_axe_violations
from .followup_support import FEEDBACK, SLUG, over_and_recorded, pdf_bytes, set_all_materials

pytestmark = pytest.mark.browser

RECORDING = ("https://video.example.org/sites/team/_layouts/15/stream.aspx?id=%2Fsites%2Fteam%2F"
             "Shared%20Documents%2FRecordings%2FCSIS%20Tackling%20scams%2020261105.mp4&referrer=StreamWebApp")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), offline=True) as context:
        yield context


@pytest.fixture
def followup_page(ctx: AppContext, tmp_path: Path) -> Path:
    pdf = tmp_path / "Attendee pack.pdf"
    pdf.write_bytes(pdf_bytes(pad=1000))
    over_and_recorded(ctx)
    set_all_materials(ctx, pdf)
    set_materials(ctx, SLUG, MaterialsChange(links={MaterialKind.RECORDING: RECORDING}))
    plan = followup_plan(ctx, SLUG)
    person = plan.recipients[0]  # the bytes the campaign runner hands the transport for this person
    built = followup_builder(ctx, plan)(Recipient(person.email, person.name))
    message = email.message_from_bytes(built, policy=email.policy.default)
    page = tmp_path / "followup.html"
    page.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")  # type: ignore[union-attr]
    return page


def _open(browser: Any, page_file: Path, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page_file.as_uri())
    return page


@pytest.mark.parametrize("width", [600, 375])
def test_no_horizontal_overflow_and_a_real_feedback_link(browser: Any, followup_page: Path, tmp_path: Path,
                                                         width: int) -> None:
    page = _open(browser, followup_page, width)
    try:
        shot = tmp_path / f"followup-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        link = page.get_by_role("link", name="Complete the feedback questionnaire for CSIS: Tackling scams")
        assert link.get_attribute("href") == FEEDBACK
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        assert page.get_by_role("link", name="Recording of the session").get_attribute("href") == RECORDING
    finally:
        page.close()


def test_axe_core_finds_no_serious_violations(browser: Any, followup_page: Path) -> None:
    page = _open(browser, followup_page, 600)
    try:
        assert serious_axe_violations(page) == []
        headings = page.evaluate("[...document.querySelectorAll('h1,h2,h3')].map(h => h.tagName)")
        assert headings == ["H1", "H2", "H2", "H2"]  # in order: title, feedback, materials, attached
    finally:
        page.close()
