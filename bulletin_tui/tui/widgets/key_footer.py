"""A footer that never cuts a label: the keys that fit the width are shown whole, the rest left out.

Textual's footer lays every key out in one row and lets the terminal's edge cut the last one mid-word (at 80 or
120 columns most screens lost part of a label). This one measures each entry (a key, or a `Binding.Group` of keys
under one description) and shows them in order while they fit; `? Help` always stays (it lists every key of the
screen, and ctrl+p finds every action), and `^q Quit` is the first to go. It composes again when the screen's
keys change (focus moved) or the width does."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

ALWAYS = frozenset({"help"})
"""Actions whose key is shown whatever the width."""
FIRST_TO_GO = frozenset({"quit"})
"""Actions left out before any of the screen's own keys."""


@dataclass(frozen=True)
class Entry:
    """What one footer entry shows: its key(s) and one description."""

    keys: tuple[str, ...]
    """The keys as pressed (a click presses the first)."""
    shown_keys: tuple[str, ...]
    """The keys as displayed (`^q`, `[`)."""
    description: str
    action: str
    enabled: bool = True
    tooltip: str = ""

    @property
    def width(self) -> int:
        """Cells taken: ` k1 k2 ` in the key style, then `description ` (see FooterEntry.render)."""
        keys = " ".join(self.shown_keys)
        return cell_len(f" {keys} ") + (cell_len(self.description) + 1 if self.description else 0)


class FooterEntry(Widget):
    """One key (or one group of keys) and its description."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-entry--key", "footer-entry--description"}
    DEFAULT_CSS = """
    FooterEntry {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-entry--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-entry--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover { background: $block-hover-background; }
        &.-disabled { text-style: dim; }
        &.-palette { dock: right; border-left: vkey $foreground 20%; }
    }
    """

    def __init__(self, entry: Entry, *, classes: str = "") -> None:
        super().__init__(classes=classes + ("" if entry.enabled else " -disabled"))
        self.entry = entry
        if entry.tooltip:
            self.tooltip = entry.tooltip

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-entry--key")
        text = Text.assemble((f" {' '.join(self.entry.shown_keys)} ", key_style))
        if self.entry.description:
            text.append(f"{self.entry.description} ", self.get_component_rich_style("footer-entry--description"))
        return text

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if self.entry.enabled:
            self.app.simulate_key(self.entry.keys[0])
        else:
            self.app.bell()


class KeyFooter(Footer):
    """The footer of every main screen: whole labels only, groups as one entry, help always there."""

    keys_ready = False
    """True once the screen's bindings are known (Footer's own flag is private)."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        self.keys_ready = True
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if not self.keys_ready:
            return
        entries, palette = self._entries()
        space = self.size.width - (palette.width + 1 if palette else 0)  # + the palette's left border
        for entry in fitting(entries, space):
            yield FooterEntry(entry)
        if palette is not None:
            yield FooterEntry(palette, classes="-palette")
        self._fitted_width = self.size.width

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != getattr(self, "_fitted_width", event.size.width):
            self.call_after_refresh(self.recompose)

    def _entries(self) -> tuple[list[Entry], Entry | None]:
        """The screen's shown keys as entries (a Binding.Group's keys as one) in the order the screen lists them
        (Textual puts priority keys first), then the app's; and the palette's key."""
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        palette: Entry | None = None
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.show_command_palette:
                palette = self._entry([binding], binding.description, enabled, tooltip)
            elif binding.show:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        order = {b.action: n for n, b in enumerate(getattr(self.screen, "BINDINGS", [])) if isinstance(b, Binding)}
        in_order = sorted(by_action.values(), key=lambda found: order.get(found[0][0].action, len(order)))
        entries: list[Entry] = []
        for group, members in groupby(in_order, lambda found: found[0][0].group):
            firsts = [found[0] for found in members]
            if group is not None and len(firsts) > 1:
                entries.append(self._entry([b for b, _e, _t in firsts], group.description,
                                           any(e for _b, e, _t in firsts),
                                           " · ".join(b.description for b, _e, _t in firsts)))
            else:
                entries += [self._entry([b], b.description, e, t) for b, e, t in firsts]
        return entries, palette

    def _entry(self, bindings: list[Binding], description: str, enabled: bool, tooltip: str) -> Entry:
        return Entry(tuple(b.key.split(",")[0] for b in bindings),
                     tuple(self.app.get_key_display(b) for b in bindings), description,
                     bindings[0].action, enabled, tooltip)


def fitting(entries: list[Entry], space: int) -> list[Entry]:
    """The entries to show in `space` cells, in their order: help always, quit only if everything else fits,
    then the screen's keys from the left while they fit (no gaps: a later key never shows when an earlier did not)."""
    kept = [e for e in entries if e.action in ALWAYS]
    used = sum(e.width for e in kept)
    optional = [e for e in entries if e.action not in ALWAYS | FIRST_TO_GO]
    for entry in optional:
        if used + entry.width > space:
            break
        kept.append(entry)
        used += entry.width
    else:
        for entry in (e for e in entries if e.action in FIRST_TO_GO):
            if used + entry.width <= space:
                kept.append(entry)
                used += entry.width
    return [e for e in entries if e in kept]
