"""The core stays headless: nothing outside bulletin_tui/tui imports textual, and domain imports nothing of ours."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "bulletin_tui"


def headless_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "tui" in relative.parts[1:2] or relative.name == "__main__":
            continue
        names.append(".".join(relative.parts).removesuffix(".__init__"))
    return names


def test_no_headless_module_imports_textual() -> None:
    modules = headless_modules()
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"textual imported by the core: {result.stdout.strip()[:200]}"


def test_domain_imports_nothing_else_of_the_project() -> None:
    for path in (PACKAGE / "domain").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                raise AssertionError(f"{path.name} imports from outside domain/: level {node.level}")
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("bulletin_tui") and not n.startswith("bulletin_tui.domain")
                               for n in names), f"{path.name} imports {names}"
