"""The package's shape: no import cycle among its modules, and each services package says what it holds."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Set
from pathlib import Path

import grimp

PACKAGE = Path(__file__).parents[1] / "bulletin_tui"
SERVICES = PACKAGE / "services"


def import_cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """Each strongly connected component of more than one module (Tarjan, without recursion), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            step = next((m for m in pending if m in imports), None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(imports[step]))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return sorted(cycles)


def test_the_cycle_finder_finds_cycles_and_only_cycles() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}, "f": {"a", "outside"}}
    assert import_cycles(imports) == [["a", "b", "c"], ["d", "e"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_the_modules() -> None:
    """A module-level import cycle makes import order matter and the layers a fiction; imports under
    `TYPE_CHECKING` never run and do not count (function-level imports count: grimp sees them)."""
    graph = grimp.build_graph("bulletin_tui", exclude_type_checking_imports=True, cache_dir=None)
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert len(imports) > 100, "the graph sees the package"
    cycles = import_cycles(imports)
    assert cycles == [], f"{len(cycles)} import cycle(s):\n" + "\n".join(" <-> ".join(c) for c in cycles)


def services_packages() -> list[Path]:
    return sorted(p.parent for p in SERVICES.glob("*/__init__.py"))


def test_each_services_package_init_is_a_docstring_naming_its_modules() -> None:
    """No re-exports (a name is imported from the module that defines it, so mypy sees its type) and a list of
    the package's modules that stays true."""
    packages = services_packages()
    assert len(packages) > 15
    problems = []
    for package in packages:
        tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        if len(tree.body) != 1 or not doc:
            problems.append(f"{package.name}/__init__.py: holds code besides its docstring")
        listed = set(re.findall(r"^- `(\w+)`", doc, flags=re.M))
        modules = {p.stem for p in package.glob("*.py") if p.name != "__init__.py"}
        if listed != modules:
            problems.append(f"{package.name}/__init__.py: modules not listed {sorted(modules - listed)}, "
                            f"listed but missing {sorted(listed - modules)}")
    assert problems == []


def test_the_services_docstring_names_every_package() -> None:
    doc = ast.get_docstring(ast.parse((SERVICES / "__init__.py").read_text(encoding="utf-8"))) or ""
    listed = set(re.findall(r"^- `(\w+)/`", doc, flags=re.M))
    assert listed == {p.name for p in services_packages()}


def services_package_imports(graph: grimp.ImportGraph) -> dict[tuple[str, str], set[str]]:
    """(importing package, imported package) -> each `importer -> imported` module pair, across services packages."""
    prefix = "bulletin_tui.services."
    found: dict[tuple[str, str], set[str]] = {}
    for module in graph.modules:
        if not module.startswith(prefix) or "." not in module[len(prefix):]:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(prefix) and "." in imported[len(prefix):]:
                source, target = module[len(prefix):].split(".")[0], imported[len(prefix):].split(".")[0]
                if source != target:
                    found.setdefault((source, target), set()).add(f"{module} -> {imported}")
    return found


def test_no_import_cycle_among_the_services_packages() -> None:
    """A capability package is one unit: when two import each other (through any chain), neither can be read, tested
    or moved without the other, so the higher-level use case belongs in the package above both."""
    graph = grimp.build_graph("bulletin_tui", exclude_type_checking_imports=True, cache_dir=None)
    pairs = services_package_imports(graph)
    assert pairs, "the graph sees imports between the services packages"
    imports: dict[str, set[str]] = {}
    for source, target in pairs:
        imports.setdefault(source, set()).add(target)
        imports.setdefault(target, set())
    cycles = import_cycles(imports)
    lines = [f"{' <-> '.join(c)}: " + "; ".join(sorted(m for (s, t), ms in pairs.items() if s in c and t in c
                                                         for m in ms)) for c in cycles]
    assert cycles == [], f"{len(cycles)} cycle(s) between services packages:\n" + "\n".join(lines)
