"""docs/ARCHITECTURE.md stays true and short: every path, module and code name it gives exists, its layer diagram
is the import-linter contract; under two pages."""

from __future__ import annotations

import io
import re
import sys
import tokenize
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
FILE_SUFFIXES = (".py", ".md", ".toml", ".cfg", ".txt")


def named_paths(text: str) -> list[str]:
    """Back-ticked tokens that are paths (contain "/" or end like a file name) outside fenced blocks."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return [t for t in re.findall(r"`([^`\n]+)`", prose) if "/" in t or t.endswith(FILE_SUFFIXES)]


def named_modules(text: str) -> list[str]:
    """Every dotted `bulletin_tui.x.y` name, in prose and in the layer diagram."""
    return re.findall(r"\bbulletin_tui(?:\.\w+)+", text)


def module_exists(dotted: str) -> bool:
    base = ROOT / dotted.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_every_named_path_and_module_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths, modules = named_paths(text), named_modules(text)
    assert len(paths) > 20 and len(modules) > 8, "the checks see the names"
    assert [p for p in paths if not (ROOT / p).exists()] == []
    assert [m for m in modules if not module_exists(m)] == []


def test_named_paths_are_found_and_a_missing_one_would_fail() -> None:
    sample = "See `bulletin_tui/services/nowhere.py` and `bulletin_tui.nowhere`, not `make_app`.\n```\n`x/y`\n```"
    assert named_paths(sample) == ["bulletin_tui/services/nowhere.py"]
    assert not (ROOT / named_paths(sample)[0]).exists() and not module_exists(named_modules(sample)[0])


def test_under_two_pages() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(text.split()) < 1100 and len(text.splitlines()) < 120


def bare_paths(text: str) -> list[str]:
    """Repository paths anywhere in the text, back-ticked or not (`docs/limits.md` and docs/limits.md alike)."""
    found = re.findall(r"(?<![\w./-])((?:bulletin_tui|docs|tests|benchmarks|scripts|templates|deploy)/[\w./-]*\w/?)",
                       text)
    return [p for p in found if "*" not in p]


def test_every_path_named_anywhere_exists() -> None:
    paths = bare_paths(DOC.read_text(encoding="utf-8"))
    assert len(paths) > 20
    assert sorted({p for p in paths if not (ROOT / p).exists()}) == []


def layer_lines(text: str) -> list[str]:
    """The layer diagram (the first fenced block): each line's layer, as `a | b`."""
    block = re.search(r"```\n(.*?)```", text, flags=re.S)
    assert block, "the document has its layer diagram"
    return [" | ".join(re.findall(r"bulletin_tui(?:\.\w+)*", line.split("  ")[0])) for line in block[1].splitlines()]


def contract_layers() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = pyproject["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [" | ".join(re.findall(r"bulletin_tui(?:\.\w+)*", layer)) for layer in layers]


def test_the_layer_diagram_is_the_import_linter_contract() -> None:
    assert layer_lines(DOC.read_text(encoding="utf-8")) == contract_layers()


@cache
def code_names() -> frozenset[str]:
    """Every identifier the package's code uses, and every string literal that is one word (a state, a command)."""
    names: set[str] = set()
    for path in (ROOT / "bulletin_tui").rglob("*.py"):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:
            if token.type == tokenize.NAME:
                names.add(token.string)
            elif token.type == tokenize.STRING and re.fullmatch(r"[\"']+[\w-]+[\"']+", token.string):
                names.add(token.string.strip("\"'"))
    return frozenset(names)


def named_code(text: str) -> list[str]:
    """Back-ticked names of our code outside fenced blocks (`make_app`, `ctx.store.transaction()`, `CampaignHandle`;
    not `os.replace`): the last part of each, without its call parentheses."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    tokens = re.findall(r"`([A-Za-z_][\w.]*)(?:\((?:\.\.\.)?\))?`", prose)
    return [t.split(".")[-1] for t in tokens if not t.startswith("bulletin_tui") and not t.endswith(FILE_SUFFIXES)
            and not ("." in t and t.split(".")[0] in sys.stdlib_module_names)]


def test_every_code_name_is_in_the_code() -> None:
    names = named_code(DOC.read_text(encoding="utf-8"))
    assert len(names) > 15
    assert sorted({n for n in names if n not in code_names()}) == []


def test_a_name_the_code_lacks_would_fail() -> None:
    sample = "`make_app`, `ctx.store.transaction()`, `guarded(...)`, `os.replace`, `no_such_name_anywhere()`; `x.py`."
    assert named_code(sample) == ["make_app", "transaction", "guarded", "no_such_name_anywhere"]
    assert [n for n in named_code(sample) if n not in code_names()] == ["no_such_name_anywhere"]
