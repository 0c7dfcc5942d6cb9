"""Mail sign-in dialogs: the Microsoft 365 device-code sign-in (code, link, expiry counting down) and the
"Check mail settings" report. Thin: each runs one service call in a worker and shows what it returns."""

from __future__ import annotations

import time

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...config import Settings
from ...domain.errors import DomainError
from ...services.mailauth.steps import MailCheck
from ...services.mailauth.tokens import DeviceLogin, TokenProvider
from ...services.mailcheck.check import check_mail
from ..containment import ContainHandlerErrors, on


def countdown(seconds: int) -> str:
    """`Expires in 14:05` (or `Expired`)."""
    return f"Expires in {seconds // 60}:{seconds % 60:02d}" if seconds > 0 else "Expired: close and try again"


class DeviceCodeModal(ContainHandlerErrors, ModalScreen[str | None]):
    """Sign in with a device code; dismissed with the signed-in username, or None (cancelled or refused)."""

    code_static = getters.query_one("#code", Static)
    expiry_static = getters.query_one("#expiry", Static)
    instructions_static = getters.query_one("#instructions", Static)

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, provider: TokenProvider) -> None:
        super().__init__()
        self.provider = provider
        self.login: DeviceLogin | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static("Sign in to Microsoft 365", classes="modal-title")
            yield Static("Asking Microsoft for a sign-in code…", id="instructions", markup=False)
            yield Static("", id="code", markup=False)
            yield Static("", id="expiry", markup=False)
            with Horizontal(classes="modal-buttons"):
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._sign_in()

    @work(thread=True, exclusive=True, group="device-login", exit_on_error=False, description="Microsoft sign-in")
    def _sign_in(self) -> None:
        try:
            login = self.provider.start_device_login()
            self.app.call_from_thread(self._show, login)
            username = self.provider.finish_device_login(login)
        except DomainError as exc:
            if not (self.login and self.login.cancelled):
                self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, username or "the account")

    def _show(self, login: DeviceLogin) -> None:
        self.login = login
        self.instructions_static.update(f"Open {login.verification_uri} in a browser and enter:")
        self.code_static.update(login.user_code)
        self._tick()

    def _failed(self, reason: str) -> None:
        self.instructions_static.update(f"Sign-in failed: {reason}")
        self.expiry_static.update("")

    def _tick(self) -> None:
        if self.login is not None and not self.login.cancelled:
            self.expiry_static.update(countdown(self.login.seconds_left(time.time())))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.login is not None:
            self.login.cancel()
        self.dismiss(None)


class MailCheckModal(ContainHandlerErrors, ModalScreen[None]):
    """Runs `mail check` and shows each step with ✓/✗, the fix for the first failure, and any warning."""

    steps_static = getters.query_one("#steps", Static)

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.report: MailCheck | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static("Check mail settings", classes="modal-title")
            yield Static("Checking… (nothing is sent)", id="steps", markup=False)
            with Horizontal(classes="modal-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self._check()

    @work(exclusive=True, group="mail-check", exit_on_error=False, description="Mail check")
    async def _check(self) -> None:
        from ...services.mailauth.wiring import token_provider, uses_oauth

        settings = self.settings
        make = (lambda: token_provider(settings)) if uses_oauth(settings) else None
        self.report = await check_mail(settings, make_token_source=make)
        lines = [f"! {warning}" for warning in self.report.warnings]
        lines += [step.line() for step in self.report.steps]
        failure = self.report.first_failure
        if failure is not None:
            lines.append(f"Fix: {failure.fix}")
        self.steps_static.update("\n".join(lines))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
