"""Issue #11 item 10 (templates): a user template that never ends (a macro calling itself, a template extending
itself) is one line naming the file, for `render` and `send` alike; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_ISSUE, DEMO_ISSUE_TITLE

from .helpers import fingerprint, one_line_error, run_cli, run_main

ENDLESS = {
    "macro": "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}\n",
    "extends itself": '{% extends "email.html.j2" %}\n',
    "includes itself": '<p>{% include "email.html.j2" %}</p>\n',
}


@pytest.mark.parametrize("kind", list(ENDLESS))
@pytest.mark.parametrize("command", ["render", "send"])
def test_an_endless_template_is_one_line(data_dir: Path, tmp_path: Path, kind: str, command: str) -> None:
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "email.html.j2").write_text(ENDLESS[kind], encoding="utf-8")
    out = tmp_path / "out"
    args = (["bulletin", "render", DEMO_ISSUE, "--out", str(out)] if command == "render"
            else ["send", DEMO_ISSUE, "--list", "e-bulletin", "--force"])
    before = fingerprint(data_dir)
    result = run_main(data_dir, *args, env={"BULLETIN_TEMPLATES_DIR": str(folder)})
    one_line_error(result, f"template {folder / 'email.html.j2'} never ends", 'extend "builtin/email.html.j2"')
    assert fingerprint(data_dir) == before and not out.exists()


def test_a_user_template_can_build_on_the_built_in_one(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "email.txt.j2").write_text('{% extends "builtin/email.txt.j2" %}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(data_dir, "bulletin", "render", DEMO_ISSUE, "--out", str(out),
                     env={"BULLETIN_TEMPLATES_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    assert DEMO_ISSUE_TITLE in (out / "issue.txt").read_text(encoding="utf-8")
