"""Reading deploy/systemd/ as systemd does: unit files (keys may repeat), environment files and Exec lines."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
SERVE_UNIT = SYSTEMD / "bulletin-tui-serve.service"
WORKER_UNIT = SYSTEMD / "bulletin-tui-worker.service"
ENV_EXAMPLE = SYSTEMD / "bulletin-tui.env"
CONFIG_EXAMPLE = DEPLOY / "config.example.toml"

UNIT_BIN = "/opt/bulletin-tui/venv/bin/bulletin-tui"
UNIT_DATA_DIR = "/var/lib/bulletin-tui"
UNIT_ETC_DIR = "/etc/bulletin-tui"


@dataclass(frozen=True)
class Unit:
    path: Path
    sections: dict[str, list[tuple[str, str]]]

    def values(self, key: str, section: str = "Service") -> list[str]:
        return [value for name, value in self.sections.get(section, []) if name == key]

    def value(self, key: str, section: str = "Service") -> str:
        """The key's one value (a unit file that sets it twice, or not at all, fails here)."""
        found = self.values(key, section)
        assert len(found) == 1, f"{self.path.name}: [{section}] {key}= set {len(found)} times"
        return found[0]

    def environment(self) -> dict[str, str]:
        """Environment= assignments (several to a line, quotes honoured), in order."""
        pairs = [word.partition("=") for line in self.values("Environment") for word in shlex.split(line)]
        return {name: value for name, _, value in pairs}


def parse_unit(path: Path) -> Unit:
    """Sections of `key=value` lines; comments (# ;) and blank lines skipped, a trailing backslash continues."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"{path.name}: not a unit file line: {raw!r}"
        current.append((key.strip(), value.strip()))
    return Unit(path, sections)


def read_environment_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads them (comments skipped, one level of quotes removed)."""
    found: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        name, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), f"{path.name}: not KEY=value: {raw!r}"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        found[name] = value
    return found


def exec_argv(line: str, env: Mapping[str, str]) -> list[str]:
    """An Exec*= line as the argv systemd starts: words split (quotes honoured), `$$` a literal `$`, `${NAME}` the
    exact value (one word, even empty), a whole word `$NAME` the value split at whitespace."""
    assert line[:1] not in "-@:+!", f"no Exec prefixes expected: {line!r}"
    argv: list[str] = []
    for word in shlex.split(line):
        whole = re.fullmatch(r"\$(\w+)", word)
        if whole:
            argv.extend(env.get(whole[1], "").split())
            continue
        argv.append(re.sub(r"\$\$|\$\{(\w+)\}", lambda m: "$" if m[0] == "$$" else env.get(m[1], ""), word))
    return argv


def seconds(timespan: str) -> float:
    """A systemd time span such as `20s`, `1min 30s` or `90` (seconds)."""
    units = {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", timespan)
    assert parts, timespan
    return sum(float(number) * units[unit] for number, unit in parts)
