"""Small text charts for the dashboard: a capacity bar and a sparkline of counts."""

from __future__ import annotations

from rich.text import Text

BLOCKS = " ▁▂▃▄▅▆▇█"


def capacity_bar(taken: int, capacity: int | None, width: int = 20) -> Text:
    """`███████░░░  14/20` style bar; unlimited sessions show just the count."""
    if not capacity:
        return Text(f"{taken} (no limit)", style="dim")
    filled = min(width, round(width * taken / capacity))
    style = "red" if taken >= capacity else ("yellow" if taken >= capacity * 0.8 else "green")
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {taken}/{capacity}")
    return bar


def spark(values: list[int]) -> str:
    """One character per value, scaled to the largest."""
    top = max(values, default=0)
    if top == 0:
        return BLOCKS[0] * len(values)
    return "".join(BLOCKS[round(v / top * (len(BLOCKS) - 1))] for v in values)
