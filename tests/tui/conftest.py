"""TUI fixtures: the app built by the same factory as the CLI, on demo data with the fixed clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bulletin_tui.services.context import AppContext
from bulletin_tui.tui.app import BulletinApp, make_app

SIZE = (120, 36)


@pytest.fixture
def app_for() -> Callable[..., BulletinApp]:
    """Build the app on a context; the demo offer is off unless asked for."""

    def build(ctx: AppContext, **options: object) -> BulletinApp:
        options.setdefault("offer_demo", False)
        return make_app(ctx, **options)  # type: ignore[arg-type]

    return build


def notifications(app: BulletinApp) -> list[str]:
    """The texts of the notifications currently shown."""
    return [str(n.message) for n in app._notifications]
