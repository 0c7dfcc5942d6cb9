"""`sessions materials --attach`: only a regular file is read (a device, pipe or folder is refused in one line,
without waiting on it), and only a PDF a real parser opens and finds pages in is attached; nothing is stored
otherwise."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from .test_followup_cli import one_line_error, past_session


def written_pdf(path: Path, password: str = "") -> Path:
    """A PDF as pypdf writes it: one blank A4 page (encrypted with `password` when given)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def attached(cli) -> list[str]:  # type: ignore[no-untyped-def]
    return [a["filename"] for a in json.loads(cli("sessions", "materials", "s1", "--json"))["attachments"]]


def nothing_stored(cli) -> bool:  # type: ignore[no-untyped-def]
    folder = cli.data_dir / "followup-files"
    return attached(cli) == [] and (not folder.exists() or not list(folder.iterdir()))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_in_one_line_without_reading_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    started = time.monotonic()
    error = one_line_error(cli.data_dir, "sessions", "materials", "s1", "--attach", "/dev/zero")
    assert error == (
        "bulletin-tui: /dev/zero is a device, not a file (an attachment must be a regular file)\n"
    ) and time.monotonic() - started < 30
    link = tmp_path / "slides.pdf"
    link.symlink_to("/dev/zero")
    assert f"{link} is a device, not a file" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(link)
    )
    assert nothing_stored(cli)


def test_a_pipe_and_a_folder_are_refused_without_waiting(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    pipe = tmp_path / "slides.pdf"
    os.mkfifo(pipe)  # nobody writes to it: reading would wait for ever
    assert f"{pipe} is a pipe or socket, not a file" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(pipe)
    )
    folder = tmp_path / "pack.pdf"
    folder.mkdir()
    assert f"{folder} is a folder, not a file" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(folder)
    )
    assert f"{tmp_path / 'gone.pdf'}: cannot read it (No such file or directory)" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(tmp_path / "gone.pdf")
    )
    assert nothing_stored(cli)


def test_html_between_a_pdf_header_and_trailer_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    page = tmp_path / "invoice.pdf"
    page.write_bytes(b"%PDF-1.7\n<html><body><script>location='https://example.org'</script></body></html>\n%%EOF\n")
    error = one_line_error(cli.data_dir, "sessions", "materials", "s1", "--attach", str(page))
    assert error.startswith(f"bulletin-tui: {page} is not a PDF that can be read (")
    assert error.endswith("); only PDF files can be attached\n")
    truncated = tmp_path / "cut.pdf"
    whole = written_pdf(tmp_path / "whole.pdf").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2] + b"\n%%EOF\n")
    assert f"{truncated} is not a PDF that can be read" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(truncated)
    )
    locked = written_pdf(tmp_path / "locked.pdf", password="secret")
    assert f"{locked} is password-protected; attach a copy without a password" in one_line_error(
        cli.data_dir, "sessions", "materials", "s1", "--attach", str(locked)
    )
    assert nothing_stored(cli)


def test_a_pdf_written_by_pypdf_is_attached(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    past_session(cli)
    pdf = written_pdf(tmp_path / "handout.pdf")
    out = cli("sessions", "materials", "s1", "--attach", str(pdf))
    assert "Attached: handout.pdf (" in out and attached(cli) == ["handout.pdf"]
    [copy] = (cli.data_dir / "followup-files").glob("*.pdf")
    assert copy.read_bytes() == pdf.read_bytes()
