"""The yearly report as blocks (headings, text, bullet lists, tables, charts): one structure that the Markdown text,
the terminal app and the Word document are all rendered from, so every face states the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: the title; 2: a section; 3: a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str  # may hold **bold** and _italic_ spans (the only inline marks used)


@dataclass(frozen=True)
class Bullets:
    items: list[str]  # each may hold **bold** spans


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    """Columns of figures (right-aligned)."""


@dataclass(frozen=True)
class Bar:
    """One session's attendance: attended, no-shows and not recorded, out of `registered`."""

    label: str
    registered: int
    attended: int
    no_show: int
    not_recorded: int
    recorded: bool  # False: nobody recorded anything for this session

    @property
    def figure(self) -> str:
        return f"{self.attended}/{self.registered}" if self.recorded else f"?/{self.registered}"


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    empty: str = "(no sessions delivered)"


Block = Heading | Paragraph | Bullets | Table | Chart

LEGEND = {"attended": "█", "no-show": "▒", "not recorded": "░"}
"""The bar characters of the text chart, and the series of the Word chart (same names, same order)."""
