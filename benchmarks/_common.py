"""Helpers shared by the benchmark scripts: timing, memory, fake subscribers."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bulletin_tui.domain.clock import NOW_VARIABLE
from bulletin_tui.services.demo.schedule import draft_issue_slug

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
# Every benchmark, and every command it starts, lives at NOW (docs/reproducible-runs.md): the demo's draft issue
# is the same month whatever day the benchmark runs.
os.environ[NOW_VARIABLE] = NOW.isoformat()
DEMO_ISSUE = draft_issue_slug(NOW)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeat)) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def subscriber_rows(count: int) -> list[dict[str, str]]:
    """CSV-like rows of clearly fake people."""
    return [
        {"email": f"person{n}@district{n % 13}.example.org", "name": f"Test Person {n}",
         "organisation": f"Example District Council {n % 13}", "role": "Community Safety Officer",
         "area": ["Ashford", "Dover", "Medway", "Swale", "Thanet"][n % 5]}
        for n in range(count)
    ]


def report(title: str, rows: list[tuple[str, str, str]]) -> None:
    """Print `measure | ours | target/baseline` rows."""
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>12}  {note}")
