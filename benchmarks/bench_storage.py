"""Storage with 50,000 subscribers (~20 MB): open, one durable edit, bulk import; vs plain TinyDB JSONStorage."""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402

from benchmarks._common import NOW, median_ms, report, subscriber_rows, timed  # noqa: E402
from bulletin_tui.domain.subscribers import (  # noqa: E402
    ConsentAction,
    ConsentRecord,
    Membership,
    MembershipStatus,
    Subscriber,
)
from bulletin_tui.storage.repositories import Store  # noqa: E402

COUNT = 50_000


def to_subscriber(row: dict[str, str]) -> Subscriber:
    lists = {"e-bulletin": Membership(status=MembershipStatus.SUBSCRIBED, changed_at=NOW)}
    consent = [ConsentRecord(at=NOW, action=ConsentAction.GRANTED, list_slug="e-bulletin", source="import",
                             reference="benchmark.csv")]
    return Subscriber(**row, lists=lists, consent=consent, created_at=NOW, updated_at=NOW)


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    text = csv_text(subscriber_rows(COUNT))

    def import_csv() -> int:
        with Store.open(work / "ours", create=True) as store:
            people = [to_subscriber(row) for row in csv.DictReader(io.StringIO(text))]
            with store.transaction():
                store.subscribers.put_many(people)
            return store.db.storage.saves

    import_s, saves = timed(import_csv)
    size_mb = (work / "ours" / "bulletin.json").stat().st_size / 1e6
    open_s, store = timed(lambda: Store.open(work / "ours"))
    key = "person25000@district1.example.org"
    person = store.subscribers.get(key)
    assert person is not None
    counter = iter(range(10**6))
    edit_ms = median_ms(lambda: store.subscribers.put(person.model_copy(update={"role": f"Role {next(counter)}"})), 15)
    store.close()

    raw_docs = {str(i + 1): s.model_dump(mode="json") for i, s in enumerate(Store.open(work / "ours").subscribers)}
    baseline_path = work / "plain.json"

    def plain_import() -> None:
        db = TinyDB(baseline_path, storage=JSONStorage)
        db.table("subscribers").insert_multiple(raw_docs.values())
        db.close()

    plain_import_s, _ = timed(plain_import)

    def plain_open() -> TinyDB:
        db = TinyDB(baseline_path, storage=JSONStorage)
        len(db.table("subscribers"))
        return db

    plain_open_s, plain = timed(plain_open)
    table = plain.table("subscribers")
    plain_edit_ms = median_ms(lambda: table.update({"role": f"Role {next(counter)}"}, doc_ids=[25001]), 5)

    title = f"Storage, {COUNT:,} subscribers, database {size_mb:.1f} MB (ours: atomic + fsync; plain TinyDB: no fsync)"
    report(title, [
        ("open", f"{open_s:.3f} s", f"target <= 1.0 s; plain TinyDB {plain_open_s:.3f} s"),
        ("one edit saved durably (median)", f"{edit_ms:.0f} ms",
         f"target <= 150 ms; plain TinyDB {plain_edit_ms:.0f} ms (ratio {plain_edit_ms / edit_ms:.1f}x)"),
        ("import 50,000-row CSV, one write", f"{import_s:.2f} s",
         f"target <= 5 s; {saves} save(s); plain insert_multiple of ready dicts {plain_import_s:.2f} s"),
    ])


if __name__ == "__main__":
    main()
