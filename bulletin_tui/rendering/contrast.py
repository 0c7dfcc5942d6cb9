"""WCAG 2 colour contrast: relative luminance of sRGB colours and the ratio between two of them."""

from __future__ import annotations

import re

NAMED = {"white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
         "grey": "#808080", "gray": "#808080", "silver": "#c0c0c0", "yellow": "#ffff00", "orange": "#ffa500",
         "navy": "#000080", "maroon": "#800000", "purple": "#800080", "teal": "#008080", "transparent": ""}
MINIMUM = 4.5


def parse_colour(value: str) -> tuple[int, int, int] | None:
    """`#abc`, `#aabbcc`, `rgb(1, 2, 3)` or a basic colour name; None when not a plain colour."""
    text = value.strip().lower()
    text = NAMED.get(text, text)
    hex_match = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", text)
    if hex_match:
        digits = hex_match[1]
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    rgb_match = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*[\d.]+\s*)?\)", text)
    if rgb_match:
        return int(rgb_match[1]), int(rgb_match[2]), int(rgb_match[3])
    return None


def first_colour(value: str) -> tuple[int, int, int] | None:
    """The first colour named in a `background` shorthand (or a plain colour value)."""
    for word in re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)|[a-zA-Z]+", value):
        colour = parse_colour(word)
        if colour is not None:
            return colour
    return None


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG 2.x)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: tuple[int, int, int], background: tuple[int, int, int]) -> float:
    """From 1:1 (same colour) to 21:1 (black on white)."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
