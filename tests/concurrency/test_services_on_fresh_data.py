"""Services that change records read the newest save of any process and write before anyone else saves (#24):
found by the soak — an import reversed an unsubscribe made during it, and two `bulletin add-item` at once lost one
item from the issue. Each process here has its own context, as two processes would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.subscribers import ConsentAction
from bulletin_tui.services.bulletins.assembly import add_item
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.subscribers import import_commit
from bulletin_tui.services.subscribers.imports import preview_import
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber, get_subscriber, unsubscribe

ROOT = Path(__file__).resolve().parents[2]


def two_processes(tmp_path: Path) -> tuple[AppContext, AppContext]:
    settings = Settings(data_dir=tmp_path / "data")
    first = open_context(settings, create=True, role="import")
    add_list(first, "e-bulletin", "E-bulletin")
    add_subscriber(first, "pat@example.org", name="Pat", list_name="e-bulletin", source="test")
    return first, open_context(settings, role="web applier")


def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("email,name,organisation\npat@example.org,Pat Smith,Kent Police\nnew@example.org,New,KCC\n")
    return path


def test_an_unsubscribe_made_between_preview_and_commit_is_never_written_over(tmp_path: Path) -> None:
    importer, other = two_processes(tmp_path)
    preview = preview_import(importer, sheet(tmp_path), "e-bulletin")
    unsubscribe(other, "pat@example.org", "e-bulletin", source="one-click unsubscribe (web)")
    with pytest.raises(import_commit.ChangedSincePreviewError, match="changed since the preview"):
        import_commit.commit_import(importer, preview)
    other.store.refresh()
    pat = get_subscriber(other, "pat@example.org")
    assert not pat.is_subscribed("e-bulletin")
    assert [r.action for r in pat.consent] == [ConsentAction.GRANTED, ConsentAction.WITHDRAWN]


def test_a_one_shot_import_previews_again_and_keeps_the_unsubscribe(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    importer, other = two_processes(tmp_path)
    previews = []

    def preview_then_someone_unsubscribes(*args: object, **kwargs: object) -> object:
        found = preview_import(*args, **kwargs)  # type: ignore[arg-type]
        if not previews:
            unsubscribe(other, "pat@example.org", "e-bulletin", source="one-click unsubscribe (web)")
        previews.append(found)
        return found

    monkeypatch.setattr(import_commit, "preview_import", preview_then_someone_unsubscribes)
    _, record = import_commit.import_file(importer, sheet(tmp_path), "e-bulletin")
    assert record is not None and len(previews) == 2
    pat = get_subscriber(importer, "pat@example.org")
    assert not pat.is_subscribed("e-bulletin") and pat.consent[-1].action is ConsentAction.WITHDRAWN
    assert previews[1].counts()["unsubscribed"] == 1, "the second preview saw the withdrawal (and honours it)"
    assert "new@example.org" in importer.store.subscribers


def test_two_processes_adding_items_to_one_issue_keep_both(tmp_path: Path) -> None:
    first, second = two_processes(tmp_path)
    create_issue(first, "2027-01")
    second.store.refresh()
    add_item(first, "2027-01", title="From the first", category="news", summary="a")
    add_item(second, "2027-01", title="From the second", category="news", summary="b")  # its view is older
    first.store.refresh()
    issue = first.store.issues.get("2027-01")
    assert issue is not None and len(issue.item_ids) == 2


def test_ten_pairs_of_add_item_commands_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"

    def cli(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    assert cli("bulletin", "new", "2027-02").wait(timeout=60) == 0
    for pair in range(10):
        both = [cli("bulletin", "add-item", "2027-02", "--title", f"Item {pair}-{n}", "--category", "news",
                    "--summary", "s") for n in range(2)]
        for process in both:
            assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    with open_context(Settings(data_dir=data), read_only=True) as ctx:
        issue = ctx.store.issues.get("2027-02")
        assert issue is not None and len(issue.item_ids) == 20 == len(ctx.store.items)
