"""The Textual application (the app shell grows in the TUI issue)."""

from __future__ import annotations

from typing import Any


def run_app(state: Any) -> None:
    from textual.app import App

    class BulletinApp(App[None]):
        TITLE = state.settings.sender.team_name

    BulletinApp().run()
