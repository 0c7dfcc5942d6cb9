"""The generated 100,000-row file: correct counts, one save, exact undo (slow: about 15 s)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from benchmarks.bench_import import write_big_csv
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.import_commit import commit_import, undo_import
from bulletin_tui.services.subscribers.imports import preview_import


@pytest.mark.slow
def test_one_hundred_thousand_rows(ctx: AppContext, tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    write_big_csv(source, 100_000)
    empty = orjson.loads(ctx.store.db.path.read_bytes()).get("subscribers", {})
    preview = preview_import(ctx, source)
    counts = preview.counts()
    assert (counts["new"], counts["duplicates"], counts["invalid"]) == (97_000, 1_000, 1_000)
    assert preview.invalid[0].row == 100  # row 100 of the sheet holds data row 98 (header is row 1)
    saves = ctx.store.db.storage.saves
    record = commit_import(ctx, preview)
    assert ctx.store.db.storage.saves == saves + 1 and len(ctx.store.subscribers) == 97_000
    assert len(record.after) == 97_000
    assert undo_import(ctx, record.id).removed == 97_000
    assert orjson.loads(ctx.store.db.path.read_bytes())["subscribers"] == empty
