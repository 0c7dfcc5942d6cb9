"""#25 item 6: the CLI's progress line fits the terminal (no wrap at 120 or 80 columns): the bar only when there is
room, the state and counts first, the rest cut with an ellipsis."""

from __future__ import annotations

import io
import os

import pytest

from bulletin_tui.commands.mailing_run import ProgressPrinter
from bulletin_tui.sending.progress import Progress


def running() -> Progress:
    return Progress(total=8000, counts={"sent": 1200, "failed": 3, "deferred": 0, "uncertain": 0, "skipped": 2},
                    pending=6795, rate=615.3, eta_seconds=380, state="running")


@pytest.mark.parametrize("width", [200, 120, 100, 80, 60, 40, 20])
def test_the_line_is_narrower_than_the_terminal(width) -> None:
    paused = Progress(total=8000, counts={"sent": 1200}, pending=6800, rate=0.0, eta_seconds=None, state="paused",
                      reason="421 4.7.0 Microsoft 365 submission quota exceeded, try again later")
    for progress in (running(), paused):
        assert len(progress.terminal_line(width)) <= width - 1


def test_a_wide_terminal_gets_the_bar_and_everything_else() -> None:
    line = running().terminal_line(120)
    assert line.startswith("[####") and line.endswith("about 7 min left")
    assert "1205/8000 running · 1200 sent · 3 failed · 2 skipped" in line and "deferred" not in line


def test_a_narrow_terminal_keeps_the_state_and_counts_and_cuts_the_end() -> None:
    line = running().terminal_line(80)
    assert not line.startswith("[") and line.startswith("1205/8000 running · 1200 sent · 3 failed")
    assert line.endswith("…") and len(line) == 79


def test_the_printer_fits_each_update_to_the_terminal(monkeypatch) -> None:
    written = io.StringIO()
    monkeypatch.setattr("sys.stderr", written)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=(80, 24): os.terminal_size((80, 24)))
    printer = ProgressPrinter(tty=True)
    printer(running())
    printer.finish()
    updates = [part.removesuffix("\x1b[K") for part in written.getvalue().strip("\n").split("\r") if part]
    assert updates and all(len(update) <= 79 for update in updates)
