"""Reports: the financial-year KCST update for the partnership.

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "BulletinLine": "data",
    "SessionLine": "data",
    "YearFacts": "data",
    "attendance_chart": "report",
    "build_report": "report",
    "feedback_section": "feedback_lines",
    "london_midnight": "data",
    "render_report": "report",
    "subscribed_at": "data",
    "year_facts": "data",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
