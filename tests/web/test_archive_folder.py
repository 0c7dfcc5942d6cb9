"""`serve --archive DIR` never publishes a data folder: refused when DIR is the data folder, lies inside it, holds
it, or holds another data folder's files; and a symlink inside the archive never leads out of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.web import archive

from .server import ROOT, get, running_server


def serve_archive(data_dir: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "serve", "--port", "9",
                           "--archive", str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=60)


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line `serve` said before exiting non-zero."""
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bulletin-tui: serve: --archive "), result.stderr
    return lines[0]


def site(folder: Path) -> Path:
    (folder / "sessions").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>Bulletins</h1>")
    (folder / "sessions" / "csis.ics").write_text("BEGIN:VCALENDAR")
    return folder


def test_the_data_folder_itself_is_refused(web_data: Path) -> None:
    assert "is the data folder" in refused(serve_archive(web_data, web_data))


def test_a_folder_inside_the_data_folder_is_refused(web_data: Path) -> None:
    inside = site(web_data / "exports" / "site")
    assert "is the data folder" in refused(serve_archive(web_data, inside))


def test_a_folder_holding_the_data_folder_is_refused(web_data: Path) -> None:
    assert "holds the data folder" in refused(serve_archive(web_data, web_data.parent))


def test_a_symlink_to_the_data_folder_is_refused(web_data: Path, tmp_path: Path) -> None:
    (tmp_path / "published").symlink_to(web_data, target_is_directory=True)
    assert "is the data folder" in refused(serve_archive(web_data, tmp_path / "published"))


@pytest.mark.parametrize("sign", ["old/secret.key", "old/bulletin.json", "old/inbound/", "copy/oauth-token-cache.json",
                                  "old/bulletin.lock", "old/backups/bulletin-20261101T000000000000Z.json",
                                  "old/backups/bulletin-20261101T000000000000Z.key"])
def test_a_folder_holding_another_data_folders_files_is_refused(web_data: Path, tmp_path: Path, sign: str) -> None:
    folder = site(tmp_path / "www")
    found = folder / sign
    found.parent.mkdir(parents=True, exist_ok=True)
    if sign.endswith("/"):
        found.mkdir()
    else:
        found.write_text("{}")
    line = refused(serve_archive(web_data, folder))
    assert f"holds {sign}," in line and "belongs in a data folder" in line


def test_the_walk_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = site(tmp_path / "www")
    for number in range(30):
        (folder / f"issue-{number}.html").write_text("")
    monkeypatch.setattr(archive, "MAX_ENTRIES", 20)
    assert "holds over 20 files and folders" in str(archive.archive_refusal(folder, tmp_path / "data"))
    monkeypatch.setattr(archive, "MAX_ENTRIES", 40)
    assert archive.archive_refusal(folder, tmp_path / "data") is None


def test_symlinks_are_not_followed_out_of_the_archive(web_data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "notes.txt").write_text("private notes")
    folder = site(tmp_path / "www")
    (folder / "notes.html").symlink_to(outside / "notes.txt")
    (folder / "private").symlink_to(outside, target_is_directory=True)
    (folder / "data").symlink_to(web_data, target_is_directory=True)  # not walked into, never served
    with running_server(web_data, tmp_path / "serve.log", "--archive", str(folder)) as server:
        assert get(f"{server.url}/bulletins/")[0] == 200
        assert get(f"{server.url}/bulletins/sessions/csis.ics") == (200, "BEGIN:VCALENDAR")
        for path in ("notes.html", "private/notes.txt", "data/secret.key", "data/bulletin.json",
                     "sessions/../../private/notes.txt"):
            status, body = get(f"{server.url}/bulletins/{path}")
            assert status == 404 and "private notes" not in body, path
