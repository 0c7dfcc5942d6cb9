"""The area bar: the app's six areas with their keys on one line under the header, the current one marked.

It answers "where am I and where else can I go" without `?`: the current area is shown in reverse video (visible
without colour too) and each name is clickable."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ..areas import AREAS


class AreaBar(Widget):
    """One line: `1 Dashboard  2 Subscribers  …  6 Inbox`, the current area marked."""

    DEFAULT_CSS = """
    AreaBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        link-style: none;
        link-color: $foreground 80%;
        link-style-hover: bold;
    }
    """
    ALLOW_SELECT = False

    def render(self) -> Content:
        current = self.app.current_mode
        parts = [Content(" ")]
        for area in AREAS:
            if area.mode == current:
                parts.append(Content.styled(f" {area.key} {area.name} ", "reverse bold"))
            else:  # the areas are the app's own constants: safe to write into markup
                parts.append(Content.from_markup(
                    f"[@click=app.show('{area.mode}')] [bold $text-accent]{area.key}[/] {area.name} [/]"))
            parts.append(Content(" "))
        return Content("").join(parts)

    def current_name(self) -> str:
        """The name of the area marked as current ('' when the app is in none)."""
        return next((area.name for area in AREAS if area.mode == self.app.current_mode), "")
