#!/usr/bin/env bash
# Run a command with the machine's clock moved to INSTANT (and running on from there), for every process it starts.
#
#   scripts/faketime-run.sh 2027-03-31T22:59:00Z .venv/bin/python -m pytest -m "not slow and not browser"
#
# Uses the libfaketime.so.1 shipped in PyPI's `libfaketime` wheel (a test dependency): Debian's libfaketime 0.9.10
# hangs this suite's timed waits on Python 3.11. The offset form (FAKETIME=+Ns) keeps the clock running, and the
# monotonic clock is left alone so timeouts and sleeps work. FAKETIME is read once per process (a cache that never
# expires): libfaketime otherwise re-reads it with getenv() every 10 s, which races a test's setenv() in another thread
# and crashes the interpreter (seen here: a segmentation fault in os.environ.__setitem__). Before the command runs, a check proves that `date`,
# datetime.now(), a child process and timed waits (time.sleep, Event.wait, asyncio.sleep) all behave.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 INSTANT COMMAND..." >&2; exit 2; }
instant=$1; shift
PY=${PY:-.venv/bin/python}
lib=$("$PY" -c 'import libfaketime, pathlib; print(pathlib.Path(libfaketime.__file__).parent / "vendor/libfaketime/src/libfaketime.so.1")')
[ -f "$lib" ] || { echo "faketime-run: $lib is missing (pip install libfaketime)" >&2; exit 2; }
target=$(date -u -d "$instant" +%s) || { echo "faketime-run: cannot read the instant '$instant'" >&2; exit 2; }
offset=$((target - $(date -u +%s)))
export LD_PRELOAD=$lib FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_CACHE_DURATION=2000000000 FAKETIME="$(printf '%+d' "$offset")"

"$PY" - "$target" <<'CHECK'
import asyncio, datetime, subprocess, sys, threading, time
target = int(sys.argv[1])
def near(seconds: float, what: str) -> None:
    if abs(seconds - target) > 120:
        sys.exit(f"faketime-run: {what} is {datetime.datetime.fromtimestamp(seconds, datetime.UTC)}, not the faked instant")
near(time.time(), "time.time()")
near(datetime.datetime.now(datetime.UTC).timestamp(), "datetime.now()")
near(int(subprocess.run(["date", "+%s"], capture_output=True, text=True, check=True).stdout), "a child's `date`")
for name, wait in (("time.sleep", lambda: time.sleep(0.2)), ("Event.wait", lambda: threading.Event().wait(0.2)),
                   ("asyncio.sleep", lambda: asyncio.run(asyncio.sleep(0.2)))):
    started = time.monotonic()
    wait()
    took = time.monotonic() - started
    if not 0.15 <= took <= 2:
        sys.exit(f"faketime-run: {name}(0.2) took {took:.2f} s under the faked clock")
print(f"faketime-run: the clock reads {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC "
      f"(date, datetime.now, a child process and timed waits checked)", file=sys.stderr)
CHECK
exec "$@"
