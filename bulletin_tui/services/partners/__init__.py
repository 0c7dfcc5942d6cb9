"""Known partner organisations: the registry (add, edit, remove, list) and who a sender speaks for.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "add_partner": "registry",
    "edit_partner": "registry",
    "find_partner": "registry",
    "list_partners": "registry",
    "partner_for": "registry",
    "partners_table": "registry",
    "remove_partner": "registry",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
