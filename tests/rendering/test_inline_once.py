"""Inline once, personalise cheaply: premailer runs once per variant, never per recipient."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.rendering import inline_css, personal_values, prepare, substitute
from bulletin_tui.sending.mime import MessageTemplate
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.context import AppContext

from .conftest import ISSUE


def test_premailer_runs_once_per_variant(issue_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counting(html: str) -> str:
        calls.append(len(html))
        return inline_css(html)

    monkeypatch.setattr(prepare, "inline_css", counting)
    prepared = prepare_issue(issue_ctx, ISSUE)
    template = MessageTemplate(subject=prepared.subject, html=prepared.html, text=prepared.text,
                               sender=issue_ctx.settings.sender, clock=issue_ctx.clock)
    for number in range(50):
        values = personal_values(prepared, name=f"P{number}", unsubscribe_url=f"https://u.example.org/{number}")
        assert f"P{number}".encode() in template.render(f"p{number}@example.org", *values)
    assert len(calls) == 1


def test_inline_css_handles_the_measured_pitfalls() -> None:
    html = ('<html><head><style>p{color:#111111} .x{width:100px}</style><style data-premailer="ignore">'
            '@media (max-width:600px){.x{width:100% !important}}</style></head>'
            '<body><p class="x">hi</p><img src="https://e.org/a.png" alt="A" style="width:10px"></body></html>')
    out = inline_css(html)
    assert 'style="color:#111; width:100px"' in out or 'style="color:#111111; width:100px"' in out
    assert "width:100% !important" in out, "responsive rules keep !important"
    assert 'height="auto"' not in out and 'width="10"' not in out


def test_inline_css_is_quiet_on_stderr(tmp_path: Path) -> None:
    script = ("from bulletin_tui.rendering import inline_css;"
              "print(len(inline_css('<html><head><style>p{colr:red;mso-line-height-rule:exactly;}</style>"
              "</head><body><p>x</p></body></html>')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stderr == ""


def test_substitute_leaves_no_tokens(issue_ctx: AppContext) -> None:
    prepared = prepare_issue(issue_ctx, ISSUE)
    html_values, text_values = personal_values(prepared, name="A", unsubscribe_url="mailto:u@example.org",
                                               email="a@example.org", list_name="E-bulletin")
    assert "XBT" not in substitute(prepared.html, html_values) + substitute(prepared.text, text_values)
