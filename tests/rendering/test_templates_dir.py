"""A user's own template folder overrides built-ins by name, and loading can never leave that folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.rendering.environment import builtin_templates_dir, make_environment
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.context import AppContext

from .conftest import ISSUE


def _use_folder(ctx: AppContext, folder: Path) -> None:
    ctx.settings.templates_dir = folder


def test_user_template_overrides_builtin(issue_ctx: AppContext, tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("Custom {{ v.title }} for {{ personal.name }}\n{{ personal.unsubscribe }}\n")
    _use_folder(issue_ctx, tmp_path)
    prepared = prepare_issue(issue_ctx, ISSUE)
    assert prepared.text == "Custom Community Safety e-Bulletin, December 2026 for XBTNAMEX\nXBTUNSUBX\n"
    assert "Legislation and policy" in prepared.html, "templates the user did not copy come from the built-ins"


@pytest.mark.parametrize("name", ["../secret.txt", "../../etc/passwd", "/etc/passwd", "sub/../../secret.txt"])
def test_includes_cannot_climb_out(issue_ctx: AppContext, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (folder / "email.txt.j2").write_text(f'{{% include "{name}" %}}\n')
    _use_folder(issue_ctx, folder)
    with pytest.raises(DomainError, match="template"):
        prepare_issue(issue_ctx, ISSUE)


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", folder / "email.txt.j2")
    env = make_environment(folder)
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, "email.txt.j2")
    assert "TOP SECRET" not in source
    assert Path(filename or "").resolve().is_relative_to(builtin_templates_dir().resolve())


def test_template_mistakes_are_one_line_errors(issue_ctx: AppContext, tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("{{ v.title }\n")
    _use_folder(issue_ctx, tmp_path)
    with pytest.raises(DomainError, match=r"template .*email.txt.j2, line 1"):
        prepare_issue(issue_ctx, ISSUE)
    (tmp_path / "email.txt.j2").write_text("{{ v.no_such_field }}\n")
    with pytest.raises(DomainError, match="no_such_field"):
        prepare_issue(issue_ctx, ISSUE)


def test_sandbox_blocks_python_internals(issue_ctx: AppContext, tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("{{ v.__class__.__mro__[1].__subclasses__() }}\n")
    _use_folder(issue_ctx, tmp_path)
    with pytest.raises(DomainError, match="template"):
        prepare_issue(issue_ctx, ISSUE)


def test_missing_folder_is_an_error(issue_ctx: AppContext, tmp_path: Path) -> None:
    _use_folder(issue_ctx, tmp_path / "nope")
    with pytest.raises(DomainError, match="is not a folder"):
        prepare_issue(issue_ctx, ISSUE)


def test_a_user_template_with_overlong_text_lines_is_warned_about(issue_ctx: AppContext, tmp_path: Path) -> None:
    from bulletin_tui.rendering.checks import check_prepared

    long_line = "This sentence in a customised plain-text template runs on far past the seventy-eight columns."
    (tmp_path / "email.txt.j2").write_text(
        f"{{{{ v.title }}}} for {{{{ personal.name }}}}\n{long_line}\n  https://example.org/{'x' * 90}\n"
        "Unsubscribe:\n  {{ personal.unsubscribe }}\n")
    _use_folder(issue_ctx, tmp_path)
    found = [f for f in check_prepared(prepare_issue(issue_ctx, ISSUE), size_warning_kb=90) if f.code == "plain-text"]
    assert [(f.severity, f.message.split(":")[0]) for f in found] == [
        ("warning", f"plain-text line 2 is {len(long_line)} characters (78 at most)")]
