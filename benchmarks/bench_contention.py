"""Many hands on one data folder (#24): a single write under contention from 4 processes, and the app's refresh
after another process's save, at demo size and at 50,000 subscribers.

(a) 4 writer processes, started together, each make N small writes as fast as they can: one transaction that
    changes one subscriber of its own (`update_details`) and adds one to a shared counter read in the same
    transaction. Per write: the time waiting for the data folder's lock (`AtomicStorage.last_wait_s`) and the whole
    write (wait + catching up with the others' saves + the change + the durable save). Baseline in the same run:
    1 process making the same writes alone. Afterwards: the counter is 4 N and every write's value is on its
    record (no write lost).
(b) At 50,000 subscribers: what a second open store pays to notice another process's save (`changed_on_disk`,
    per poll) and to catch up (`refresh()`), from that process's save returning to the refresh done; then the
    real app under Textual's Pilot: the other process adds a person, until the subscribers screen lists them.

Timing across processes uses `time.perf_counter()` (CLOCK_MONOTONIC on Linux: one clock for every process).
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import NOW, report, subscriber_rows  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.services.context import AppContext, open_context  # noqa: E402
from bulletin_tui.services.demo.loader import load_demo  # noqa: E402
from bulletin_tui.services.subscribers.import_commit import commit_import  # noqa: E402
from bulletin_tui.services.subscribers.imports import preview_import  # noqa: E402
from bulletin_tui.services.subscribers.people import update_details  # noqa: E402
from bulletin_tui.storage.atomic import load_json_file  # noqa: E402

WRITERS = 4
WRITES = {"demo": 50, "50k": 10}
"""Writes per process: demo-sized writes take milliseconds, those at 50,000 subscribers a second under contention."""
PEOPLE = 50_000
REFRESH_ROUNDS = 8
APP_ROUNDS = 4
COUNTER_TABLE = "bench_counter"
ROLE = "contention {run} w{writer} i{write}"
SIZE = (120, 36)


# --- the writer processes ------------------------------------------------------------------------------------------

def counter_value(ctx: AppContext) -> int:
    row = ctx.store.db.table(COUNTER_TABLE)._read_table().get("writes")
    return int(row["n"]) if row else 0


def one_write(ctx: AppContext, email: str, role: str) -> None:
    """One transaction: a subscriber's role, and the shared counter read and written back (a lost update shows)."""
    with ctx.store.transaction():
        seen = counter_value(ctx)
        update_details(ctx, email, role=role)
        ctx.store.db.table(COUNTER_TABLE)._update_table(lambda rows: rows.update({"writes": {"n": seen + 1}}))


def writer(data_dir: str, number: int, writes: int, people: str, lock: str, run: str) -> None:
    """Child: open the folder, say ready, wait for "go" on stdin, write, print the timings as JSON."""
    if lock == "blocking":
        blocking_flock()
    ctx = open_context(Settings(data_dir=Path(data_dir)), clock=FixedClock(NOW), role=f"bench writer {number}")
    mine = json.loads(people)
    storage = ctx.store.db.storage
    print("ready", flush=True)
    sys.stdin.readline()
    waits, totals, reloads = [], [], 0
    for write in range(writes):
        before = storage.reloads
        start = time.perf_counter()
        one_write(ctx, mine[write], ROLE.format(run=run, writer=number, write=write))
        totals.append(time.perf_counter() - start)
        waits.append(storage.last_wait_s)
        reloads += storage.reloads - before
    print(json.dumps({"waits": waits, "totals": totals, "reloads": reloads}), flush=True)


def blocking_flock() -> None:
    """What-if, in this child only: wait for the lock in the kernel (a blocking `flock`, woken when it is given
    back) instead of `DataDirLock.acquire`'s non-blocking tries with sleeps of 0.5-10 ms in between."""
    import fcntl

    from bulletin_tui.storage.lock import DataDirLock

    def acquire(self: DataDirLock, wait_s: float = 0.0) -> None:
        fd = self._open()
        start = time.perf_counter()
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.waited_s = time.perf_counter() - start
        self._fd = fd

    DataDirLock.acquire = acquire  # type: ignore[method-assign]


def run_writers(settings: Settings, processes: int, writes: int, lock: str = "polling") -> dict[str, Any]:
    """`processes` writers released together; their timings, the wall time, and what the file holds after."""
    with open_context(settings) as ctx:
        keys = sorted(ctx.store.subscribers.keys())[: processes * writes]
        before = counter_value(ctx)
    run = f"{processes}x{writes}-{lock}"
    children = []
    for number in range(processes):
        people = json.dumps(keys[number * writes:(number + 1) * writes])
        children.append(subprocess.Popen(
            [sys.executable, __file__, "--writer", str(settings.data_dir), str(number), str(writes), people, lock, run],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    results = [json.loads(child.communicate(timeout=600)[0]) for child in children]
    wall = time.perf_counter() - start
    assert all(child.returncode == 0 for child in children)
    data = load_json_file(settings.data_dir / "bulletin.json")
    written = {ROLE.format(run=run, writer=n, write=w) for n in range(processes) for w in range(writes)}
    found = [row.get("role") for row in data["subscribers"].values() if row.get("role") in written]
    return {"waits": [w for r in results for w in r["waits"]], "totals": [t for r in results for t in r["totals"]],
            "reloads": sum(r["reloads"] for r in results), "wall": wall, "expected": processes * writes,
            "counter": data[COUNTER_TABLE]["writes"]["n"] - before, "records": len(set(found)), "dupes": len(found)}


# --- building the folders ------------------------------------------------------------------------------------------

def build(folder: Path, people: int) -> Settings:
    """The demo data (240 people), plus `people` more imported in one write (like bench_web)."""
    settings = Settings(data_dir=folder / "data")
    with open_context(settings, create=True, clock=FixedClock(NOW)) as ctx:
        load_demo(ctx)
        if people:
            csv = folder / "people.csv"
            rows = subscriber_rows(people)
            csv.write_text("email,name,organisation\n" + "".join(
                f"{r['email']},{r['name']},{r['organisation']}\n" for r in rows))
            commit_import(ctx, preview_import(ctx, csv, "e-bulletin"))
    return settings


# --- (b) noticing and catching up with another process's save ------------------------------------------------------

SAVER = """
import sys, time
from pathlib import Path
from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from benchmarks.bench_contention import NOW, open_context
from bulletin_tui.services.subscribers.people import add_subscriber
ctx = open_context(Settings(data_dir=Path(sys.argv[1])), clock=FixedClock(NOW), role="bench saver")
print("ready", flush=True)
for line in sys.stdin:
    add_subscriber(ctx, line.strip(), name="Refresh Probe", list_name="e-bulletin", source="benchmark")
    print(time.perf_counter(), flush=True)
"""


class Saver:
    """Another process that adds a person on request and says when its save returned (perf_counter)."""

    def __init__(self, settings: Settings) -> None:
        root = str(Path(__file__).resolve().parents[1])
        self.process = subprocess.Popen([sys.executable, "-c", SAVER, str(settings.data_dir)], cwd=root,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.readline() == "ready"
        self.count = 0

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def request(self) -> str:
        """Ask for a save, without waiting; the address it adds (near the top of the subscribers table: by key)."""
        self.count += 1
        email = f"aaa-refresh-{self.count:03d}@example.org"
        assert self.process.stdin is not None
        self.process.stdin.write(email + "\n")
        self.process.stdin.flush()
        return email

    def saved_at(self) -> float:
        return float(self.readline())

    def save(self) -> tuple[str, float]:
        email = self.request()
        return email, self.saved_at()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def poll_cost_us(ctx: AppContext, rounds: int = 2_000) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        ctx.store.changed_on_disk()
    return (time.perf_counter() - start) / rounds * 1e6


def store_refreshes(settings: Settings, saver: Saver) -> dict[str, list[float]]:
    """Per round: the other process saves; a store polling every millisecond notices and refreshes. Also the same
    reload with the garbage collector paused (what-if), and a fresh open of the file (the baseline)."""
    ctx = open_context(settings, clock=FixedClock(NOW))
    out: dict[str, list[float]] = {"detect": [], "refresh": [], "end_to_end": [], "nogc": [], "open": []}
    for _ in range(REFRESH_ROUNDS):
        _email, saved = saver.save()
        while not ctx.store.changed_on_disk():
            time.sleep(0.001)
        noticed = time.perf_counter()
        assert ctx.store.refresh()
        done = time.perf_counter()
        out["detect"].append(noticed - saved)
        out["refresh"].append(done - noticed)
        out["end_to_end"].append(done - saved)
    storage = ctx.store.db.storage
    for _ in range(REFRESH_ROUNDS // 2):
        saver.save()
        gc.disable()
        try:
            start = time.perf_counter()
            storage.refresh()
            out["nogc"].append(time.perf_counter() - start)
        finally:
            gc.enable()
        out["open"].append(timed_open(settings))
    ctx.close()
    return out


def timed_open(settings: Settings) -> float:
    start = time.perf_counter()
    open_context(settings).close()
    return time.perf_counter() - start


async def app_refreshes(settings: Settings, saver: Saver) -> tuple[list[float], list[float], str]:
    """The real app on the subscribers screen; the other process adds a person; until the table lists them.

    If the app notices saves by itself (live refresh, #24), it is given 3 s per round; if it does not, the
    benchmark does what live refresh would (`refresh()`, then DataChanged) as soon as `changed_on_disk()` says so
    and measures the rest. Returns (save -> listed, save -> repainted) in seconds, and which way was measured."""
    from bulletin_tui.tui.app import make_app
    from bulletin_tui.tui.messages import DataChanged

    ctx = open_context(settings, clock=FixedClock(NOW), role="terminal app")
    app = make_app(ctx, offer_demo=False)
    listed, painted, how = [], [], "the app by itself"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        while len(listed) < APP_ROUNDS:
            email = saver.request()
            saved = await asyncio.to_thread(saver.saved_at)
            shows = lambda email=email: any(row.email == email for row in screen.shown[:50])  # noqa: E731
            if how == "the app by itself" and not await wait_until(shows, 3.0):
                how = "driven: changed_on_disk() polled every 1 ms, then refresh() and DataChanged"
                continue  # this round waited 3 s for nothing: not a sample
            if how.startswith("driven"):
                await wait_until(ctx.store.changed_on_disk, 10.0)
                ctx.store.refresh()
                app.post_message(DataChanged("subscribers"))
                assert await wait_until(shows, 30.0), "the subscribers screen never listed the new person"
            listed.append(time.perf_counter() - saved)
            await pilot.pause()
            painted.append(time.perf_counter() - saved)
    ctx.close()
    return listed, painted, how


async def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


# --- the report ----------------------------------------------------------------------------------------------------

def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else values[0]


def ms(value: float) -> str:
    return f"{value * 1000:,.1f} ms" if value < 0.1 else f"{value * 1000:,.0f} ms"


def cell(run: dict[str, Any], key: str) -> str:
    return f"{ms(statistics.median(run[key]))} / {ms(p99(run[key]))}"


def contention_rows(name: str, alone: dict[str, Any], together: dict[str, Any],
                    fair: dict[str, Any]) -> list[tuple[str, str, str]]:
    """`together`: 4 writers with the lock as it is; `fair`: the same with a blocking flock (what-if)."""
    med = statistics.median
    ratio, ratio99 = med(together["totals"]) / med(alone["totals"]), p99(together["totals"]) / p99(alone["totals"])
    rate_alone = alone["expected"] / alone["wall"]
    rate_together, rate_fair = together["expected"] / together["wall"], fair["expected"] / fair["wall"]
    lost = [run["expected"] - min(run["counter"], run["records"]) for run in (alone, together, fair)]
    return [
        (f"{name}: lock wait, median / p99", cell(together, "waits"),
         f"alone: {cell(alone, 'waits')}; what-if blocking flock: {cell(fair, 'waits')}; n = {together['expected']}"),
        (f"{name}: whole write, median / p99", cell(together, "totals"),
         f"alone: {cell(alone, 'totals')} (ratio {ratio:.1f}x median, {ratio99:.1f}x p99); what-if: "
         f"{cell(fair, 'totals')}"),
        (f"{name}: writes/s, all processes", f"{rate_together:,.1f}",
         f"alone: {rate_alone:,.1f} ({rate_together / rate_alone:.2f}x); what-if: {rate_fair:,.1f} "
         f"({rate_fair / rate_alone:.2f}x)"),
        (f"{name}: writes after another's save", f"{together['reloads']} of {together['expected']}",
         f"(the lock changed hands; each re-reads the file first); what-if: {fair['reloads']}"),
        (f"{name}: writes lost", f"{lost[1]}", f"counter {together['counter']} of {together['expected']}, "
         f"{together['records']} records; alone: {lost[0]}; what-if: {lost[2]}"),
    ]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--writer":
        writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7])
        return
    started = time.perf_counter()
    rows: list[tuple[str, str, str]] = []
    losses = 0
    with tempfile.TemporaryDirectory(prefix="bench-contention-") as tmp:
        folders = {"demo": build(Path(tmp) / "demo", 0)}
        print(f"Building a data folder with the demo and {PEOPLE:,} more subscribers…", flush=True)
        folders["50k"] = build(Path(tmp) / "big", PEOPLE)
        size_mb = (folders["50k"].data_dir / "bulletin.json").stat().st_size / 1e6
        summary = {}
        for name, settings in folders.items():
            print(f"{name}: 1 writer alone, then {WRITERS} at once, {WRITES[name]} writes each, then {WRITERS} with "
                  "a blocking flock (what-if)…", flush=True)
            alone = run_writers(settings, 1, WRITES[name])
            together = run_writers(settings, WRITERS, WRITES[name])
            fair = run_writers(settings, WRITERS, WRITES[name], lock="blocking")
            rows += contention_rows(name, alone, together, fair)
            losses += sum(run["expected"] - min(run["counter"], run["records"]) for run in (alone, together, fair))
            summary[name] = (statistics.median(together["waits"]), p99(together["waits"]),
                             statistics.median(together["totals"]) / statistics.median(alone["totals"]),
                             p99(fair["waits"]))
        print(f"50k: noticing and catching up with another process's save ({size_mb:.1f} MB)…", flush=True)
        saver = Saver(folders["50k"])
        try:
            with open_context(folders["50k"]) as ctx:
                idle_poll = poll_cost_us(ctx)
            refresh = store_refreshes(folders["50k"], saver)
            listed, painted, how = asyncio.run(app_refreshes(folders["50k"], saver))
        finally:
            saver.close()
    med = statistics.median
    rows += [
        ("50k: changed_on_disk(), one poll", f"{idle_poll:.0f} µs", "a 256-byte read; nothing changed"),
        ("50k: save returned -> noticed", ms(med(refresh["detect"])), "polling every 1 ms"),
        ("50k: refresh() (re-read the file)", ms(med(refresh["refresh"])),
         f"max {ms(max(refresh['refresh']))}; a fresh open: {ms(med(refresh['open']))}; the same re-read with the "
         f"garbage collector paused: {ms(med(refresh['nogc']))} ({med(refresh['refresh']) / med(refresh['nogc']):.1f}"
         "x)"),
        ("50k: save returned -> store refreshed", ms(med(refresh["end_to_end"])),
         f"max {ms(max(refresh['end_to_end']))}"),
        ("50k app: save -> subscribers screen lists it", ms(med(listed)), f"max {ms(max(listed))}; {how}"),
        ("50k app: save -> repainted", ms(med(painted)), f"max {ms(max(painted))}; target: within 2 s (#24)"),
    ]
    report(f"Contention: {WRITERS} processes writing to one data folder (demo: 240 subscribers; 50k: "
           f"{PEOPLE + 240:,}, {size_mb:.1f} MB); median / p99 in the same run as 1 writer alone", rows)
    demo, big = summary["demo"], summary["50k"]
    print(f"\nSummary: with {WRITERS} processes writing at once a write waited {ms(demo[0])} median, {ms(demo[1])} "
          f"p99 for the lock at demo size ({demo[2]:.1f}x the write alone at the median) and {ms(big[0])} / "
          f"{ms(big[1])} at 50,000 ({big[2]:.1f}x); a blocking flock would make the p99 {ms(demo[3])} and "
          f"{ms(big[3])}; {losses} writes lost; the app listed another process's new person "
          f"{ms(statistics.median(painted))} after its save ({time.perf_counter() - started:.0f} s in all).")
    if losses:
        sys.exit(1)


if __name__ == "__main__":
    main()
