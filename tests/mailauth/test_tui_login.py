"""The TUI's Microsoft 365 sign-in dialog (code, link, expiry counting down) and its mail check, with Pilot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from bulletin_tui.config import OAuthSettings, Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.services.mailauth.cache import cache_path
from bulletin_tui.tui.app import BulletinApp, make_app
from bulletin_tui.tui.screens.mail_auth import DeviceCodeModal, MailCheckModal, countdown

from .entra import STAFF, EntraState


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def text(app: BulletinApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def app_with(settings: Settings) -> BulletinApp:
    return make_app(open_context(settings, create=True), offer_demo=False)


async def test_device_code_dialog_counts_down_then_signs_in(entra: EntraState, oauth_for: Callable[..., OAuthSettings],
                                                            tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", oauth=oauth_for(mode="delegated"))
    app = app_with(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Sign in to Microsoft 365" in commands and "Check mail settings" in commands
        app.action_mail_login()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DeviceCodeModal)
        await until(lambda: modal.login is not None)
        assert text(app, "#code") == "KCST-2026" and entra.base in text(app, "#instructions")
        first = text(app, "#expiry")
        await until(lambda: text(app, "#expiry") != first, timeout=3)  # counting down, second by second
        assert first.startswith("Expires in 1") and text(app, "#expiry") < first
        entra.authorise(STAFF)
        await until(lambda: not isinstance(app.screen, DeviceCodeModal))
        await pilot.pause()
        assert any(STAFF in str(n.message) for n in app._notifications)
    app.ctx.close()
    cached = json.loads(cache_path(settings.data_dir).read_text())
    assert cached["RefreshToken"] and STAFF in json.dumps(cached["Account"])


async def test_cancelling_the_dialog_stops_the_sign_in(entra: EntraState, oauth_for: Callable[..., OAuthSettings],
                                                       tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", oauth=oauth_for(mode="delegated"))
    app = app_with(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_mail_login()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DeviceCodeModal)
        await until(lambda: modal.login is not None)
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, DeviceCodeModal))
        assert modal.login is not None and modal.login.cancelled
    app.ctx.close()
    assert not cache_path(settings.data_dir).exists()  # nothing was signed in, nothing cached


async def test_check_mail_settings_shows_each_step(tmp_path: Path) -> None:
    app = app_with(Settings(data_dir=tmp_path / "data"))
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_check_mail()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, MailCheckModal)
        await until(lambda: modal.report is not None)
        assert "✓ smtp settings: no SMTP host: messages go to the outbox folder" in text(app, "#steps")
        await pilot.press("escape")
    app.ctx.close()


def test_countdown_text() -> None:
    assert (countdown(905), countdown(59), countdown(0)) == ("Expires in 15:05", "Expires in 0:59",
                                                            "Expired: close and try again")


async def test_sign_in_without_tenant_says_which_settings_are_missing(tmp_path: Path) -> None:
    app = app_with(Settings(data_dir=tmp_path / "data", oauth={"mode": "delegated"}))  # type: ignore[arg-type]
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_mail_login()
        await pilot.pause()
        assert not isinstance(app.screen, DeviceCodeModal)
        assert any("set [oauth] tenant and client_id" in str(n.message) for n in app._notifications)
    app.ctx.close()
