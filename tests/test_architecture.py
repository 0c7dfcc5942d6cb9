"""The core stays headless (nothing outside bulletin_tui/tui imports textual) and the layers hold (import-linter)."""

from __future__ import annotations

import shutil
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


def test_import_linter_contracts_are_kept() -> None:
    """The layers and forbidden imports declared in pyproject.toml ([tool.importlinter]) all hold."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint_imports, "lint-imports not found: pip install -e '.[test]'"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert "0 broken" in result.stdout
