"""Use cases shared by the CLI, the TUI and the web face, one package per capability; each takes an `AppContext`.

subscribers/ bulletins/ sessions/ campaigns/ privacy/ reports/ demo/ mailauth/ inbox/ web/ schedule/ worker/ (and
more); `context.py` holds the collaborators they share. Each package re-exports its public names lazily (PEP 562,
`lazy_exports`), so importing a package stays cheap and packages can name each other without import cycles.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` that finds `name` in `package.<exports[name]>`."""

    def __getattr__(name: str) -> Any:
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
