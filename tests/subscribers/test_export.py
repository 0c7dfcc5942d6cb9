"""Export: UTF-8 with BOM, status per list, and every formula-looking cell neutralised (read back with csv)."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.export import export_csv, neutralise
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe
from bulletin_tui.services.subscribers.suppression import suppress

from .conftest import DATA

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def read_back(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_cell_of_a_hostile_import_is_neutralised(ctx: AppContext, tmp_path: Path) -> None:
    import_file(ctx, DATA / "formula_cells.csv")
    add_subscriber(ctx, "-dash@example.org", name="@mention", organisation="+plus")
    out = tmp_path / "export.csv"
    assert export_csv(ctx, out) == 3
    rows = read_back(out)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(DANGEROUS), (column, cell)
    by_name = {r["Name"]: r for r in rows}
    assert by_name['\'=HYPERLINK("http://evil.example","click")']["Organisation"] == "'+44 1622 000000"
    assert by_name["'@SUM(A1:A2)"]["Email"] == "at@example.org"
    assert by_name["'@mention"]["Email"] == "'-dash@example.org"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralise_prefixes_each_dangerous_start(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("plain " + cell) == "plain " + cell


def test_status_per_list_and_suppression_column(ctx: AppContext, tmp_path: Path) -> None:
    add_list(ctx, "dhr-webinars", "DHR webinars")
    add_subscriber(ctx, "both@example.org", name="Zoë £ Test")
    add_subscriber(ctx, "both@example.org", list_name="dhr-webinars")
    add_subscriber(ctx, "left@example.org")
    unsubscribe(ctx, "left@example.org")
    suppress(ctx, "left@example.org", "hard bounce")
    out = tmp_path / "export.csv"
    export_csv(ctx, out)
    rows = {r["Email"]: r for r in read_back(out)}
    assert rows["both@example.org"]["List: dhr-webinars"] == "subscribed"
    assert rows["both@example.org"]["Name"] == "Zoë £ Test"
    assert rows["left@example.org"]["List: e-bulletin"] == "unsubscribed"
    assert rows["left@example.org"]["List: dhr-webinars"] == ""
    assert rows["left@example.org"]["Suppressed"] == "yes"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_export_imports_back_unchanged(ctx: AppContext, tmp_path: Path) -> None:
    import_file(ctx, DATA / "formula_cells.csv")
    before = {p.key: (p.name, p.organisation, p.role) for p in ctx.store.subscribers}
    out = tmp_path / "export.csv"
    export_csv(ctx, out)
    for person in list(ctx.store.subscribers):
        ctx.store.subscribers.delete(person.key)
    preview, _ = import_file(ctx, out)
    assert preview.counts()["new"] == 2
    assert {p.key: (p.name, p.organisation, p.role) for p in ctx.store.subscribers} == before


def test_reimporting_an_export_never_resubscribes_the_unsubscribed(ctx: AppContext, tmp_path: Path) -> None:
    add_subscriber(ctx, "stays@example.org")
    add_subscriber(ctx, "left@example.org")
    unsubscribe(ctx, "left@example.org")
    out = tmp_path / "export.csv"
    export_csv(ctx, out)
    from bulletin_tui.config import Settings
    from bulletin_tui.services.context import open_context

    with open_context(Settings(data_dir=tmp_path / "elsewhere"), create=True) as fresh:
        preview, _ = import_file(fresh, out)
        assert preview.opted_out == [2] and preview.counts()["new"] == 2
        assert not fresh.store.subscribers.get("left@example.org").is_subscribed("e-bulletin")  # type: ignore[union-attr]
        assert fresh.store.subscribers.get("stays@example.org").is_subscribed("e-bulletin")  # type: ignore[union-attr]


def test_times_are_uk_wall_time(ctx: AppContext, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    clock.at = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)  # BST: 12:30 in London
    add_subscriber(ctx, "summer@example.org")
    out = tmp_path / "export.csv"
    export_csv(ctx, out)
    [row] = read_back(out)
    assert row["Created (UK time)"] == "2026-07-01 12:30"
