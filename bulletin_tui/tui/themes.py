"""Themes (#25): Textual's own, two high-contrast ones of ours, and the choice remembered per user.

The choice (ctrl+p → "Theme", or ctrl+t for light/dark) is kept in a small state file of the person's own
(`locations.tui_state_file()`: ~/.local/state/bulletin-tui/tui.json), not in the shared settings or the data
folder, so each officer on a shared server keeps theirs. A file that cannot be read or written is ignored: the
theme is a comfort, never a reason for an error."""

from __future__ import annotations

import json
import os
from pathlib import Path

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="kcst-high-contrast",
    dark=True,
    primary="#FFD700",
    secondary="#00FFFF",
    accent="#00FFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1C1C1C",
    boost="#262626",
    success="#00FF00",
    warning="#FFD700",
    error="#FF5F5F",
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "footer-key-foreground": "#FFD700",
        "block-cursor-background": "#FFD700",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFD700 50%",
        "border": "#FFFFFF",
        "border-blurred": "#BBBBBB",
    },
)
HIGH_CONTRAST_LIGHT = Theme(
    name="kcst-high-contrast-light",
    dark=False,
    primary="#00008B",
    secondary="#5C0000",
    accent="#8B0000",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8E8E8",
    boost="#DDDDDD",
    success="#005F00",
    warning="#7A4F00",
    error="#B00000",
    text_alpha=1.0,
    variables={
        "text-muted": "#000000",
        "block-cursor-background": "#00008B",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-text-style": "bold",
        "border": "#000000",
        "border-blurred": "#444444",
    },
)
OUR_THEMES = (HIGH_CONTRAST, HIGH_CONTRAST_LIGHT)


def saved_theme(state_file: Path | None) -> str | None:
    """The theme this person chose last time, or None (no file, or one that cannot be read)."""
    if state_file is None:
        return None
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = state.get("theme") if isinstance(state, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(state_file: Path | None, theme: str) -> None:
    """Remember the theme for next time (the rest of the state file is kept); failures are ignored."""
    if state_file is None:
        return
    try:
        state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    state["theme"] = theme
    try:
        state_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = state_file.with_suffix(".tmp")
        partial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, state_file)
    except OSError:
        return
