"""The core stays headless (nothing outside bulletin_tui/tui imports textual) and the layers hold (import-linter)."""

from __future__ import annotations

import os
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


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "lint-imports not found: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([found, "--no-cache"], cwd=root, capture_output=True, text=True, env=env)


def test_import_linter_contracts_are_kept() -> None:
    """The layers and forbidden imports declared in pyproject.toml ([tool.importlinter]) all hold."""
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert "0 broken" in result.stdout


def test_the_contracts_catch_a_web_face_importing_the_tui(tmp_path: Path) -> None:
    """The web face may use the services but never the terminal app: a copy where it imports tui fails."""
    shutil.copytree(PACKAGE, tmp_path / "bulletin_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE.parent / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0, "the web face as it is keeps the contracts"
    (tmp_path / "bulletin_tui" / "web" / "probe.py").write_text("from ..tui import app\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "bulletin_tui.web is not allowed to import bulletin_tui.tui" in result.stdout
