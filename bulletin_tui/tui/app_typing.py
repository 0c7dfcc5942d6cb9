"""The app as the BulletinApp it is, typed, for the app's screens: `self.bulletin_app.ctx` without a type: ignore."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.app import App

    from .app import BulletinApp


class OfBulletinApp:
    """Mixin for the app's screens: `bulletin_app` is `self.app`, typed as the BulletinApp."""

    app: App[Any]

    @property
    def bulletin_app(self) -> BulletinApp:
        """The running BulletinApp (every screen of this package runs in one)."""
        return cast("BulletinApp", self.app)
