"""`feedback import --keep-names`: a name is kept only with an address (a name alone can never be found by subject
access or erased), and "Anonymous" (as Microsoft Forms writes it, in any case) is nobody's name."""

from __future__ import annotations

import json
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.services.feedback.imports import names_nobody, responses_for

from .test_cli import SLUG, add_training

EXPORT = """ID,Email,Name,How would you rate the delivery?
1,ann@example.org,Ann Lee,Good
2,,Bob Name-Only,Excellent
3,anonymous,Anonymous,Good
4,ANONYMOUS,Anonymous User,Poor
5,cat@example.org,anonymous user,Good
6,  ,  ,Good
"""


def stored(data_dir: Path) -> dict[str, tuple[str, str]]:
    with open_context(Settings(data_dir=data_dir)) as ctx:
        return {r.source_id: (r.name, r.email) for r in responses_for(ctx, SLUG)}


def test_names_without_an_address_and_anonymous_are_not_kept(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_training(cli)
    export = tmp_path / "forms.csv"
    export.write_text(EXPORT, encoding="utf-8")
    out = cli("feedback", "import", SLUG, str(export), "--keep-names")
    assert "Added 6 response(s)" in out and "(1 name(s) without an e-mail address left out)" in out
    assert stored(cli.data_dir) == {
        "1": ("Ann Lee", "ann@example.org"),
        "2": ("", ""),  # Bob gave no address: his name alone could never be found or erased
        "3": ("", ""),
        "4": ("", ""),
        "5": ("", "cat@example.org"),
        "6": ("", ""),
    }
    assert b"Bob Name-Only" not in (cli.data_dir / "bulletin.json").read_bytes()
    held = json.loads(cli("subscribers", "show-data", "cat@example.org"))["feedback_responses"]
    assert [(r["name"], r["email"]) for r in held] == [("", "cat@example.org")]
    assert "Added 0 response(s)" in cli("feedback", "import", SLUG, str(export), "--keep-names")


def test_placeholders_that_name_nobody() -> None:
    for text in ("", "  ", "anonymous", "Anonymous", "ANONYMOUS USER", "Anonymous  User", "anon", "n/a", "-"):
        assert names_nobody(text), text
    for text in ("Ann Lee", "Anonymous Trainer Ltd", "ann@example.org"):
        assert not names_nobody(text), text
