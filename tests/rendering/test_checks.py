"""Pre-send checks: each rule fires on a real defect and stays quiet on a clean issue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bulletin_tui.rendering.checks import check_prepared, check_restricted
from bulletin_tui.rendering.contrast import contrast_ratio, parse_colour
from bulletin_tui.services.bulletins import assembly
from bulletin_tui.services.bulletins import issues as bulletins
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.context import AppContext

from .conftest import ISSUE


def codes(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted({f.code for f in findings if f.severity == "error"})


def _html_findings(issue_ctx: AppContext, html: str) -> list[str]:
    prepared = replace(prepare_issue(issue_ctx, ISSUE), html=html)
    return codes(check_prepared(prepared, size_warning_kb=90))


def test_fixture_issue_fails_only_on_its_past_closing_date(issue_ctx: AppContext) -> None:
    findings = bulletins.run_checks(issue_ctx, ISSUE)
    assert codes(findings) == ["past-closing"]
    assert findings[0].line() == ("error: item 'safer-streets-round-4' (Safer Streets round 4): closing date "
                                  "01/11/2026 has passed [past-closing]")
    assert any(f.code == "restricted-held-back" and f.severity == "warning" for f in findings)


def test_content_checks(issue_ctx: AppContext) -> None:
    assembly.add_item(issue_ctx, ISSUE, title="Update TBC", category="news", summary="Details {{ here }}")
    found = codes(bulletins.run_checks(issue_ctx, ISSUE))
    assert found == ["missing-link", "past-closing", "placeholder"]


def test_empty_issue(ctx: AppContext) -> None:
    bulletins.create_issue(ctx, "empty")
    assert "no-items" in codes(bulletins.run_checks(ctx, "empty"))


def test_restricted_leak_is_caught(issue_ctx: AppContext) -> None:
    items = assembly.issue_items(issue_ctx, ISSUE)
    leaky = prepare_issue(issue_ctx, ISSUE, restricted=True)
    assert codes(check_restricted(leaky, items, ["e-bulletin"])) == ["restricted-leak"]
    assert codes(check_restricted(prepare_issue(issue_ctx, ISSUE), items, ["e-bulletin"])) == []
    assert codes(check_restricted(leaky, items, [])) == []


@pytest.mark.parametrize(("change", "code"), [
    (lambda h: h.replace('<h2 id="legislation"', '<h4 id="legislation"').replace(
        "Legislation and policy</h2>", "Legislation and policy</h4>"),
     "heading-order"),
    (lambda h: h.replace("</h1>", '</h1><img src="https://x.example.org/logo.png">'), "image-alt"),
    (lambda h: h.replace(">Apply for the Crime Reduction Grant<", ">click here<"), "link-text"),
    # a link whose text is an address it does not go to (a partner's draft: text gov.uk, target elsewhere)
    (lambda h: h.replace(">Apply for the Crime Reduction Grant<", ">https://www.gov.uk/crime-grant<"), "link-text"),
    (lambda h: h.replace('href="https://www.kent-pcc.gov.uk/funding"', 'href=""'), "missing-link"),
    (lambda h: h.replace("color:#1f2933", "color:#aaaaaa"), "contrast"),
    (lambda h: h.replace('href="XBTUNSUBX"', 'href="https://example.org"'), "unsubscribe"),
    (lambda h: h.replace("Hello XBTNAMEX", "Hello XBTNOPEX"), "placeholder"),
    (lambda h: h.replace("</h2>", "</h2>", 1).replace(
        '<h2 id="campaign"', '<h2 id="x">Empty</h2><h2 id="campaign"'), "empty-section"),
    (lambda h: h + "<!--" + "x" * 110_000 + "-->", "html-size"),
])
def test_html_defects_are_found(issue_ctx: AppContext, change, code: str) -> None:  # type: ignore[no-untyped-def]
    html = prepare_issue(issue_ctx, ISSUE).html
    assert code not in _html_findings(issue_ctx, html)
    assert code in _html_findings(issue_ctx, change(html))


def test_link_text_naming_its_own_target_is_fine(issue_ctx: AppContext) -> None:
    html = prepare_issue(issue_ctx, ISSUE).html.replace(">Apply for the Crime Reduction Grant<",
                                                       ">kent-pcc.gov.uk/funding<")
    assert "link-text" not in _html_findings(issue_ctx, html)


def test_size_warning_before_the_clip(issue_ctx: AppContext) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE)
    padded = replace(prepared, html=prepared.html + "<!--" + "x" * (95 * 1024 - prepared.html_bytes) + "-->")
    findings = check_prepared(padded, size_warning_kb=90)
    assert [(f.code, f.severity) for f in findings] == [("html-size", "warning")]


def test_missing_plain_text(issue_ctx: AppContext) -> None:
    prepared = replace(prepare_issue(issue_ctx, ISSUE), text="")
    assert codes(check_prepared(prepared, size_warning_kb=90)) == ["plain-text", "unsubscribe"]


def test_contrast_maths() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert parse_colour("#fff") == (255, 255, 255) and parse_colour("rgb(1, 2, 3)") == (1, 2, 3)
    assert parse_colour("inherit") is None


def test_template_css_meets_contrast(issue_ctx: AppContext) -> None:
    from bulletin_tui.rendering.htmlscan import scan_html

    scan = scan_html(prepare_issue(issue_ctx, ISSUE, restricted=True).html)
    pairs = {(run.color, run.background) for run in scan.styled_text}
    assert ("#fff", "#0b4f6c") in pairs and ("#8a1c1c", "#fdecea") in pairs
    for color, background in pairs:
        assert contrast_ratio(parse_colour(color), parse_colour(background)) >= 4.5  # type: ignore[arg-type]


def test_a_link_in_the_summary_counts_as_a_link(issue_ctx: AppContext) -> None:
    assembly.add_item(issue_ctx, ISSUE, title="Linked in text", category="news",
                      summary="Read the [report](https://www.kent.gov.uk/report).")
    assert "missing-link" not in codes(bulletins.run_checks(issue_ctx, ISSUE))
