"""Start-up: `bulletin-tui bulletin list --json` on the demo data, and `bulletin-tui --help`, as fresh processes.

Target (issue 16): median wall time of `bulletin list --json` <= 0.25 s over >= 11 runs. Baselines measured in the
same run: a bare `python -c pass`, `python -c "import typer"` (the CLI library alone) and a bare typer app with the
same options and a `bulletin list --json` that prints `[]` (typer 0.29 also builds a pydantic TypeAdapter for each
parameter it parses, so this is the floor of any typer command line here). CPU time (user + system of
the child) is shown too: on a busy machine wall time includes waiting for a core, CPU time does not. Byte-code is
cached (as in an installed package) by one warm-up run of each command, even where PYTHONDONTWRITEBYTECODE is set.
Finally the largest imports of one `-X importtime` run are listed.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import report  # noqa: E402

RUNS = 15
TARGET_S = 0.25
BARE_TYPER_APP = """
from pathlib import Path
from typing import Annotated
import typer
app, group = typer.Typer(add_completion=False, pretty_exceptions_enable=False), typer.Typer()
app.add_typer(group, name="bulletin")
@app.callback()
def root(data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
         config: Annotated[Path | None, typer.Option("--config")] = None,
         create: Annotated[bool, typer.Option("--create")] = False) -> None:
    pass
@group.command("list")
def listing(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    print("[]")
@group.command("show")
def show(issue: str) -> None:
    pass
app()
"""


def cli() -> list[str]:
    """The installed console script, as a user runs it (or `python -m bulletin_tui` in a bare checkout)."""
    script = Path(sys.executable).parent / "bulletin-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bulletin_tui"]


def environment(folder: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in kept.items() if not k.startswith("BULLETIN_") or k.startswith("BULLETIN_NOW")}
    return {**env, "BULLETIN_CONFIG": str(folder / "none.toml"), "BULLETIN_DATA_DIR": str(folder / "data")}


def timed_runs(command: list[str], env: dict[str, str], runs: int = RUNS) -> tuple[float, float, float]:
    """Median wall, fastest wall and median CPU seconds of `runs` fresh processes (after one warm-up run)."""
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def largest_imports(command: list[str], env: dict[str, str], count: int = 10) -> list[tuple[str, float]]:
    """The packages (and our modules) whose import, with everything it pulls in, cost most: one importtime run."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bulletin_tui", *command[len(cli()):]],
                            env=env, capture_output=True, text=True, check=True)
    found: dict[str, float] = {}
    for line in result.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].strip()
        if "." not in name or name.startswith("bulletin_tui."):
            found[name] = max(found.get(name, 0.0), int(parts[1]) / 1e6)
    return sorted(found.items(), key=lambda pair: -pair[1])[:count]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = environment(folder)
    subprocess.run([*cli(), "--create", "demo"], env=env, capture_output=True, check=True)
    listing = [*cli(), "bulletin", "list", "--json"]
    rows = [("bulletin list --json", listing), ("--help", [*cli(), "--help"]),
            ("bare typer app, same options", [sys.executable, "-c", BARE_TYPER_APP, "bulletin", "list", "--json"]),
            ('python -c "import typer"', [sys.executable, "-c", "import typer"]),
            ("python -c pass", [sys.executable, "-c", "pass"])]
    measured = {name: timed_runs(command, env) for name, command in rows}
    verdict = "met" if measured["bulletin list --json"][0] <= TARGET_S else "NOT met"
    notes = {"bulletin list --json": f"target <= {TARGET_S * 1000:.0f} ms ({verdict}); ",
             "bare typer app, same options": "baseline (floor); ", 'python -c "import typer"': "baseline; ",
             "python -c pass": "baseline; "}
    report(f"Start-up, median of {RUNS} fresh processes; load average {os.getloadavg()[0]:.1f} on "
           f"{os.cpu_count()} cores", [
        (name, f"{wall * 1000:.0f} ms", f"{notes.get(name, '')}fastest {fastest * 1000:.0f} ms, "
         f"CPU {cpu * 1000:.0f} ms") for name, (wall, fastest, cpu) in measured.items()
    ])
    report("Largest imports of `bulletin list --json` (-X importtime, cumulative, one run)", [
        (name, f"{seconds * 1000:.0f} ms", "") for name, seconds in largest_imports(listing, env)
    ])


if __name__ == "__main__":
    main()
