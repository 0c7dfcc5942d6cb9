"""The send screen's "send at" row: empty sends now; a London time schedules the send for the worker."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static


class SendAtRow(Horizontal):
    """`Send at [YYYY-MM-DD HH:MM]` and what is already scheduled for the chosen issue and lists."""

    DEFAULT_CSS = """
    SendAtRow { height: auto; }
    SendAtRow > Label { padding-top: 1; }
    SendAtRow > Input { width: 34; }
    SendAtRow > #scheduled-line { width: 1fr; padding: 1 0 0 2; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Send at ")
        yield Input(placeholder="now, or YYYY-MM-DD HH:MM", id="send-at")
        yield Static(id="scheduled-line")
