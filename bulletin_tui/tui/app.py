"""The Textual application: one factory (`make_app`) used by the CLI and by tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.actions import ActionParseResult, parse
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from ..services.context import AppContext
from ..services.mailings.keyed import Transport
from ..storage.atomic import collector_paused
from .areas import AREAS
from .containment import guard_callback, report
from .live import FollowsOtherSaves
from .mailing_runner import CampaignRunner
from .messages import DataChanged, WorkerFailed
from .month_tools import TOOLS, MonthTools
from .screens.base import WorkScreen
from .screens.bulletin import BulletinScreen
from .screens.confirm import ConfirmModal
from .screens.dashboard import DashboardScreen
from .screens.help import HelpScreen
from .screens.inbox import InboxScreen
from .screens.send import SendScreen
from .screens.sessions import SessionsScreen
from .screens.subscribers import SubscribersScreen
from .themes import OUR_THEMES, save_theme, saved_theme

if TYPE_CHECKING:
    from ..config import Settings

TransportFactory = Callable[[], Transport]
JOURNAL_EVERY_S = 3.0
"""How often the app applies requests the web face journalled (unsubscribes, sign-ups, registrations)."""
SCREEN_OF_AREA: dict[str, type[WorkScreen]] = {
    "dashboard": DashboardScreen, "subscribers": SubscribersScreen, "bulletin": BulletinScreen,
    "sessions": SessionsScreen, "send": SendScreen, "inbox": InboxScreen,
}
SCREENS_BY_MODE = {area.mode: (area.key, area.name, SCREEN_OF_AREA[area.mode]) for area in AREAS}


class BulletinApp(FollowsOtherSaves, MonthTools, App[None]):
    """The KCST workspace: dashboard, subscribers, bulletin, sessions and sending."""

    CSS_PATH = "app.tcss"
    MODES = {mode: screen for mode, (_key, _label, screen) in SCREENS_BY_MODE.items()}
    BINDINGS = [
        *(Binding(key, f"show('{mode}')", label, show=False) for mode, (key, label, _s) in SCREENS_BY_MODE.items()),
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, ctx: AppContext, *, transport_factory: TransportFactory | None = None,
                 offer_demo: bool = True, contain_errors: bool = False, state_file: Path | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.state_file = state_file  # the officer's own choices (the theme); None: nothing remembered (tests)
        for theme in OUR_THEMES:
            self.register_theme(theme)
        self.contain_errors = contain_errors  # on for users; off in tests, so a bug fails its test
        self.transport_factory = transport_factory
        self.offer_demo = offer_demo
        self.data_version = 0
        self.send_screen: SendScreen | None = None  # set when the send screen mounts (quit stops its campaign)
        self.title = ctx.settings.sender.team_name
        self.sub_title = self._describe_data_dir()

    def _describe_data_dir(self) -> str:
        """The data dir, and the read-only state with why."""
        text = str(self.ctx.data_dir)
        if self.ctx.store.read_only:
            why = self.ctx.store.db.read_only_reason
            text += f"  ·  READ-ONLY{f' ({why})' if why else ''}"
        return text

    def make_transport(self) -> Transport | None:
        """An injected transport (tests); None lets the campaigns service use the settings' (outbox or SMTP)."""
        return self.transport_factory() if self.transport_factory is not None else None

    @property
    def read_only(self) -> bool:
        return self.ctx.store.read_only

    def on_mount(self) -> None:
        chosen = saved_theme(self.state_file)
        if chosen in self.available_themes:
            self.theme = chosen
        self.theme_changed_signal.subscribe(self, lambda theme: save_theme(self.state_file, theme.name))
        self.switch_mode("dashboard")
        for notice in self.ctx.store.db.notices:
            self.notify(notice, title="Data folder", timeout=8)
        if self.read_only:
            self.notify(self.sub_title, title="Opened read-only", severity="warning", timeout=8)
        elif self.offer_demo and self._store_is_empty():
            self.push_screen(
                ConfirmModal("This data folder is empty. Load the demo data (sample items, sessions and "
                             "clearly fake subscribers) to explore?", confirm_label="Load demo data"),
                self._load_demo_if_confirmed,
            )
        self.call_after_refresh(self._offer_resume)
        self.follow_other_saves()  # another process's save shows within a second (live.py)
        if not self.read_only:
            self._journal_size: tuple[int, ...] = ()
            self.set_interval(JOURNAL_EVERY_S, self._apply_web_requests)

    def _apply_web_requests(self) -> None:
        """Apply what the web face journalled (unsubscribes first of all) within seconds, on the app's thread."""
        from ..locations import confirmations_ledger
        from ..services.web.journal_apply import apply_pending
        from ..storage.journal import journal_path

        outgoing = confirmations_ledger(self.ctx.data_dir)
        sizes = tuple(p.stat().st_size if p.exists() else 0 for p in (journal_path(self.ctx.data_dir), outgoing))
        if sizes == self._journal_size:
            return
        applied = apply_pending(self.ctx)
        self._journal_size = sizes
        if applied:
            self.post_message(DataChanged("all"))
        if outgoing.exists():  # queued here or by another process: sent unless another process is sending them
            self.run_worker(self._send_confirmations(), group="confirmations", exclusive=True)

    async def _send_confirmations(self) -> None:
        """The confirmation e-mails of web sign-ups and registrations, through the one outbound pipeline."""
        from ..services.mailings.confirmations import send_queued

        try:
            result = await send_queued(self.ctx)
        except Exception as exc:  # noqa: BLE001 - queued: the next round, `serve` or any writer sends them
            self.notify(f"Confirmation e-mails not sent yet: {exc}", severity="warning")
            return
        if result is not None and result.reason:
            self.notify(f"Confirmation e-mails paused: {result.reason}", severity="warning")

    def _store_is_empty(self) -> bool:
        store = self.ctx.store
        return not (len(store.subscribers) or len(store.issues) or len(store.sessions))

    def _load_demo_if_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        from ..services.demo.loader import load_demo

        self.notify(load_demo(self.ctx).summary(), title="Demo data loaded")
        self.post_message(DataChanged("all"))

    def _offer_resume(self) -> None:
        """If a campaign was interrupted, say so and offer the send screen."""
        from .send_bridge import interrupted_campaigns

        pending = interrupted_campaigns(self.ctx)
        follow_ups = [name for name in pending if name.startswith("followup-")]
        pending = [name for name in pending if name not in follow_ups]
        if follow_ups:
            self.notify(f"An interrupted follow-up can be resumed: {', '.join(follow_ups[:3])}. Press 4 (sessions), "
                        "choose the session, f, then s.", title="Unfinished follow-up", severity="warning", timeout=12)
        if pending:
            names = ", ".join(pending[:3])
            self.notify(f"An interrupted send can be resumed: {names}. Press 5 (send screen), choose it, then R.",
                        title="Unfinished mailing", severity="warning", timeout=12)

    async def action_quit(self) -> None:
        """Quit; a send in progress is stopped after the messages in flight first (the next start offers resume)."""
        if self.send_screen is not None and self.send_screen.campaign is not None:
            self.notify("Stopping the send after the messages in flight…", timeout=30)
            await self.send_screen.stop_and_wait()
        for screen in self.screen_stack:  # a follow-up sending from a screen pushed over the sessions screen
            if isinstance(screen, CampaignRunner) and screen.campaign is not None:
                self.notify("Stopping the follow-up after the messages in flight…", timeout=30)
                await screen.stop_and_wait()
        self.exit()

    def action_show(self, mode: str) -> None:
        """Switch to one of the main screens."""
        self.switch_mode(mode)

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications carry user data (titles, addresses): no markup unless asked for."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))

    def action_check_mail(self) -> None:
        """Show every step to the mailbox with ✓/✗ (nothing is sent)."""
        from .screens.mail_auth import MailCheckModal

        self.push_screen(MailCheckModal(self.ctx.settings))

    def action_check_deliverability(self) -> None:
        """Send one test bulletin to the team mailbox, read it back and show SPF, DKIM, DMARC and the rest."""
        from .screens.deliverability import DeliverabilityModal

        self.push_screen(DeliverabilityModal(self.ctx))

    def action_mail_login(self) -> None:
        """Microsoft 365 device-code sign-in; the tokens go to the data folder's private token cache."""
        from ..domain.errors import DomainError
        from ..services.mailauth.wiring import token_provider
        from .screens.mail_auth import DeviceCodeModal

        try:
            provider = token_provider(self.ctx.settings, self.ctx.data_dir)
        except DomainError as exc:  # settings incomplete: say which, it is not a bug
            self.notify(str(exc), title="Cannot sign in", severity="error", timeout=10)
            return
        self.push_screen(DeviceCodeModal(provider), self._signed_in)

    def _signed_in(self, username: str | None) -> None:
        if username:
            self.notify(f"Signed in to Microsoft 365 as {username}", title="Signed in")

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    @on(DataChanged)
    def _refresh_screens(self, event: DataChanged) -> None:
        """Reload the screens on show now; the others reload when next shown."""
        self.data_version += 1
        self.shown_generation = self._generation()  # what this reload shows (live.py: no second reload for it)
        with collector_paused():
            for screen in self.screen_stack:
                if isinstance(screen, WorkScreen):
                    screen.refresh_data()

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Run a key, palette or button action; a bug in one becomes a notification, not a crash (users only)."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # noqa: BLE001 - the point: report any failure and keep the app alive
            if not self.contain_errors:
                raise
            report(self, (parse(action) if isinstance(action, str) else action)[1], error)
            return True

    def push_screen(self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, *,
                    mode: str | None = None) -> Any:
        """Dialogs' result callbacks are guarded too (they call services when a form is saved)."""
        if callback is not None and self.contain_errors:
            callback = guard_callback(self, f"{type(screen).__name__} result", callback)
        if wait_for_dismiss:
            return super().push_screen(screen, callback, True, mode=mode)
        return super().push_screen(screen, callback, False, mode=mode)

    @on(WorkerFailed)
    def _show_failure(self, event: WorkerFailed) -> None:
        self.notify(event.cause, title=f"{event.action} failed", severity="error", timeout=10)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the app in the command palette, from any screen: screens, the month's tools, help,
        theme, the current screen's keys, and every other screen's keys (which switch to that screen first)."""
        for mode, (key, label, _screen) in SCREENS_BY_MODE.items():
            yield SystemCommand(f"Go to {label}", f"Open the {label.lower()} screen (key {key})",
                                lambda mode=mode: self.switch_mode(mode))
        yield SystemCommand("Help", "Show the keys of this screen (? or F1)", self.action_help)
        yield SystemCommand("Toggle light/dark theme", "Switch between light and dark (ctrl+t)",
                            self.action_toggle_theme)
        if not self.read_only:
            yield SystemCommand("Load demo data", "Add sample items, sessions and fake subscribers",
                                lambda: self._load_demo_if_confirmed(True))
        yield SystemCommand("Check mail settings", "Try every step to the mailbox (SMTP, IMAP) without sending",
                            self.action_check_mail)
        yield SystemCommand("Check deliverability", "Send one test bulletin to the team mailbox and report SPF, "
                            "DKIM, DMARC and one-click unsubscribe as received", self.action_check_deliverability)
        if self.ctx.settings.oauth.mode == "delegated":
            yield SystemCommand("Sign in to Microsoft 365", "Device-code sign-in for sending (OAuth2)",
                                self.action_mail_login)
        for action, title, help_text in TOOLS:
            yield SystemCommand(title, help_text, lambda action=action: self.run_action(action))
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                yield SystemCommand(binding.description, f"{binding.description} (key {binding.key})",
                                    lambda action=binding.action, s=screen: self.run_action(action, s))
        yield from self._other_screens_commands(screen)
        yield from super().get_system_commands(screen)

    def _other_screens_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The keys of the main screens not on show, as `Screen: action` (switching there first)."""
        for mode, (key, label, screen_class) in SCREENS_BY_MODE.items():
            if isinstance(screen, screen_class):
                continue
            for binding in screen_class.BINDINGS:
                if isinstance(binding, Binding) and binding.description and not binding.action.startswith("app."):
                    yield SystemCommand(f"{label}: {binding.description}",
                                        f"On the {label.lower()} screen (key {key}, then "
                                        f"{self.get_key_display(binding)})",
                                        lambda mode=mode, action=binding.action: self._run_on(mode, action))

    async def _run_on(self, mode: str, action: str) -> None:
        """Switch to a main screen, then run one of its actions there."""
        await self.switch_mode(mode)
        await self.run_action(action, self.screen)


def make_app(ctx: AppContext, *, transport_factory: TransportFactory | None = None,
             offer_demo: bool = True, contain_errors: bool = False, state_file: Path | None = None) -> BulletinApp:
    """Build the app on an open context (the CLI's, or a test's with a fixed clock and tmp dir); `state_file`
    remembers the officer's theme (the CLI passes theirs; tests none, or their own)."""
    return BulletinApp(ctx, transport_factory=transport_factory, offer_demo=offer_demo,
                       contain_errors=contain_errors, state_file=state_file)


def run_app(settings: Settings, *, create: bool = False) -> None:
    """Open the data dir (read-only if it cannot be written) and run the app until quit."""
    from ..services.context import open_context
    from ..services.folder.fresh import is_brand_new

    ctx = open_context(settings, create=create or is_brand_new(settings.data_dir), fallback_read_only=True,
                       role="terminal app")
    from ..locations import tui_state_file

    try:
        make_app(ctx, contain_errors=True, state_file=tui_state_file()).run()
    finally:
        ctx.close()
