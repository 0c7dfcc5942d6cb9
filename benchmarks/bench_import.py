"""Subscriber import at 100,000 rows: dry-run preview, commit (one write), undo; vs the obvious baselines.

Targets (issue 3): preview <= 10 s, commit <= 10 s, peak memory <= 300 MB. Baselines measured in the same run:
per-row full model validation (email_validator on every row) for the preview, and one durable save per row
(the naive "add each person" loop, timed on a sample and extrapolated) for the commit.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from email_validator import validate_email  # noqa: E402

from benchmarks._common import NOW, peak_rss_mb, report, timed  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.domain.subscribers import Membership, MembershipStatus, Subscriber  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.subscribers.import_commit import commit_import, undo_import  # noqa: E402
from bulletin_tui.services.subscribers.imports import preview_import  # noqa: E402
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe  # noqa: E402
from bulletin_tui.services.subscribers.suppression import suppress  # noqa: E402

ROWS = 100_000
EXISTING = 10_000
AREAS = ["Ashford", "Canterbury", "Dover", "Medway", "Swale", "Thanet", "Tunbridge Wells"]


def write_big_csv(path: Path, rows: int = ROWS, seed: int = 3) -> None:
    """A realistic messy export: BOM, semicolons, mixed case, quoted newlines, blanks, duplicates, bad rows."""
    rng = random.Random(seed)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["E-mail Address", "First Name", "Last Name", "Organization", "Job Title", "Notes"])
    for n in range(rows):
        kind = n % 100
        email = f"Person{n}@District{n % 13}.Example.org"
        if kind == 97:
            email = f"person{n - 1}@district{(n - 1) % 13}.example.org"  # duplicate of the previous row
        elif kind == 98:
            email = f"broken{n}.example.org"  # no @
        elif kind == 99:
            writer.writerow([])
            continue
        notes = f"Met at CSIS\nfollow up {n}" if n % 10 == 0 else ""
        writer.writerow([email, f"Tést{n}", rng.choice(["Example", "Sample", "Demo"]),
                         f"{rng.choice(AREAS)} Council", "Community Safety Officer", notes])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def seed_existing(ctx) -> None:  # type: ignore[no-untyped-def]
    """10,000 people already known: some will be updated, some unsubscribed, some suppressed."""
    people = [Subscriber(email=f"person{n}@district{n % 13}.example.org", name=f"Old Name {n}",
                         lists={"e-bulletin": Membership(status=MembershipStatus.SUBSCRIBED, changed_at=NOW)},
                         created_at=NOW, updated_at=NOW) for n in range(0, EXISTING * 10, 10)]
    add_subscriber(ctx, "seed@example.org")
    with ctx.store.transaction():
        ctx.store.subscribers.put_many(people)
        for n in range(0, 5000, 50):
            unsubscribe(ctx, f"person{n}@district{n % 13}.example.org")
        for n in range(1, 5000, 50):
            suppress(ctx, f"person{n}@district{n % 13}.example.org", "hard bounce")


def naive_preview(path: Path) -> int:
    """Baseline: DictReader and full model validation (email_validator) for every row."""
    text = path.read_bytes().decode("utf-8-sig")
    valid = 0
    for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";"):
        try:
            validate_email(row["E-mail Address"] or "", check_deliverability=False, allow_smtputf8=True)
            Subscriber(email=row["E-mail Address"], name=f"{row['First Name']} {row['Last Name']}",
                       organisation=row["Organization"], created_at=NOW, updated_at=NOW)
            valid += 1
        except Exception:  # noqa: BLE001 - counting failures is the point here
            pass
    return valid


def per_row_saves_ms(ctx, sample: int = 20) -> float:  # type: ignore[no-untyped-def]
    """Baseline: one durable save per person (median ms), on the database after the import."""
    times = []
    for n in range(sample):
        seconds, _ = timed(lambda n=n: add_subscriber(ctx, f"naive{n}@example.org"))
        times.append(seconds * 1000)
    return sorted(times)[len(times) // 2]


def fresh_open_peak_mb(data_dir: Path) -> float:
    """Peak memory (VmHWM) of a new process that only opens the database: the storage's own floor."""
    code = ("import sys; from pathlib import Path; from bulletin_tui.storage.repositories import Store\n"
            "store = Store.open(Path(sys.argv[1]), read_only=True)\n"
            "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])")
    out = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = work / "big.csv"
    write_big_csv(source)
    ctx = open_context(Settings(data_dir=work / "data"), create=True, clock=FixedClock(NOW))
    seed_existing(ctx)
    rss_start = peak_rss_mb()
    preview_s, preview = timed(lambda: preview_import(ctx, source))
    rss_preview = peak_rss_mb()
    commit_s, record = timed(lambda: commit_import(ctx, preview))
    rss_commit = peak_rss_mb()
    size_mb = ctx.store.db.path.stat().st_size / 1e6
    floor_mb = fresh_open_peak_mb(ctx.data_dir)
    undo_s, undone = timed(lambda: undo_import(ctx, record.id))
    naive_s, _ = timed(lambda: naive_preview(source))
    save_ms = per_row_saves_ms(ctx)
    counts = preview.counts()
    ctx.close()
    rows_note = ", ".join(f"{v:,} {k}" for k, v in counts.items() if v)
    report(f"Import of a {ROWS:,}-row CSV ({source.stat().st_size / 1e6:.1f} MB) into {EXISTING:,} known people; "
           f"database after commit {size_mb:.1f} MB", [
        ("dry-run preview", f"{preview_s:.2f} s",
         f"target <= 10 s; naive per-row validation {naive_s:.2f} s (ratio {naive_s / preview_s:.1f}x)"),
        ("commit (one atomic write)", f"{commit_s:.2f} s",
         f"target <= 10 s; one save per row ~{save_ms:.0f} ms each = ~{save_ms * ROWS / 3.6e6:.1f} h for "
         f"{ROWS:,} rows (ratio {save_ms * ROWS / 1000 / commit_s:,.0f}x)"),
        ("undo", f"{undone.removed + undone.restored:,} rec", f"{undo_s:.2f} s"),
        ("peak RSS", f"{max(rss_preview, rss_commit):.0f} MB",
         f"target <= 300 MB; {rss_start:.0f} MB before the preview, {rss_preview:.0f} after it"),
        ("just opening the result", f"{floor_mb:.0f} MB", "peak of a fresh process that only opens the database"),
        ("rows", f"{sum(counts.values()) - counts['smtputf8']:,}", rows_note),
    ])


if __name__ == "__main__":
    main()
