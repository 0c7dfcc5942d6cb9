"""Small text charts for the dashboard: a capacity bar and a column chart of counts."""

from __future__ import annotations

from rich.text import Text


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


EIGHTHS = "▁▂▃▄▅▆▇█"


def column_chart(values: list[int], labels: list[str], height: int = 4, gap: str = " ") -> list[Text]:
    """A column per value (eighth blocks, `height` rows), scaled to the largest, with a label under each column
    (one character); a value above zero always shows at least a sliver."""
    top = max(values, default=0) or 1
    eighths = [0 if v <= 0 else max(1, round(v / top * height * 8)) for v in values]
    rows = []
    for row in range(height, 0, -1):
        floor = (row - 1) * 8
        cells = [" " if e <= floor else ("█" if e >= floor + 8 else EIGHTHS[e - floor - 1]) for e in eighths]
        rows.append(Text(gap.join(cells), style="cyan"))
    rows.append(Text(gap.join(label[:1] for label in labels), style="dim"))
    return rows
