"""After a session: who would get the follow-up and with what; confirm, then send with live progress.

Opened from the sessions screen (key f). The send is a campaign like a bulletin's (`FollowUpHandle`, the same
runner and ledger), run on its own thread by the `CampaignRunner` machinery the send screen uses."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, ProgressBar, Select, Static

from ...domain.followup import Audience, SessionFollowUp
from ...domain.times import british_range
from ...sending.progress import Progress, RunStatus
from ...services.mailings.followup import (
    FollowUpHandle,
    describe,
    followup_campaign_id,
    followup_status,
    still_to_send,
)
from ...services.sessions.catalogue import get_session
from ...services.sessions.followup import (
    FollowUpPlan,
    MaterialsChange,
    followup_plan,
    followups,
    materials_summary,
    set_materials,
)
from ..containment import on
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..mailing_runner import CampaignRunner
from ..messages import BouncesToSuppress, CampaignFinished, CampaignProgressed, DataChanged, WorkerFailed
from ..widgets.key_footer import KeyFooter
from ..widgets.run_elsewhere import OffWhileSentElsewhere, RunElsewhere
from .base import WorkScreen
from .confirm import ConfirmModal
from .materials_form import MaterialsForm
from .record_form import RecordSaving

AUDIENCES = [("Attendees", Audience.ATTENDEES.value), ("Registered no-shows", Audience.NO_SHOWS.value)]


class FollowUpScreen(OffWhileSentElsewhere, WorkScreen, CampaignRunner):
    """One session's follow-up: attendees by default, no-shows as a separate choice (and campaign)."""

    audience_select = getters.query_one("#audience", Select)
    followup_info = getters.query_one("#followup-info", Static)
    followup_line = getters.query_one("#followup-line", Static)
    progress_bar = getters.query_one(ProgressBar)

    HELP_TITLE = "Follow-up"
    HELP = (
        "After a session, attendees get its materials and the feedback questionnaire link. e sets them (or "
        "`bulletin-tui sessions materials SLUG`, which also takes several PDFs). s sends (after you confirm the "
        "count); sending again resumes and nobody gets it twice. Space pauses and resumes, x stops, escape goes back."
    )
    BINDINGS = [
        Binding("s", "send", "Send follow-up"),
        Binding("e", "edit_materials", "Materials"),
        Binding("space", "pause_resume", "Pause/resume", priority=True),
        Binding("x", "stop", "Stop", priority=True),
        Binding("escape", "close", "Back"),
    ]
    SENDING_ACTIONS = frozenset({"send", "pause_resume", "stop", "edit_materials"})  # off while sent elsewhere

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.plan: FollowUpPlan | None = None
        self.not_ready = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="followup-setup"):
            with Horizontal(classes="form-row"):
                yield Label("Send to ")
                yield Select(AUDIENCES, id="audience", allow_blank=False, value=Audience.ATTENDEES.value)
            yield Static(id="followup-info", markup=False)
        yield RunElsewhere(self.ctx, lambda: followup_campaign_id(self.slug, self.audience))
        yield ProgressBar(total=1, id="followup-progress", show_eta=False)
        yield Static(id="followup-line", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    @property
    def audience(self) -> Audience:
        return Audience(str(self.audience_select.value))

    @on(Select.Changed, "#audience")
    def reload(self) -> None:
        """Who would get it and what they would get, or why it cannot be sent yet."""
        info = self.followup_info
        try:
            self.plan = followup_plan(self.ctx, self.slug, self.audience)
        except EXPECTED_ERRORS as exc:
            self.plan, self.not_ready = None, one_line_cause(exc)
            info.update(f"Not ready: {self.not_ready}")
            return
        session = self.plan.session
        lines = [
            f"{session.title} · {british_range(session.start, session.end)}",
            describe(self.plan),
            *materials_summary(self.plan.materials),
        ]
        started = followup_status(self.ctx, self.slug, self.audience)
        queued, late = still_to_send(self.ctx, self.plan)
        if started is None:
            lines.append(f"Not sent yet: {queued} {self.audience.value} would get it.")
        else:
            counts = ", ".join(f"{n} {state}" for state, n in sorted(started.counts.items()))
            added = f" · {late} recorded since will be added" if late else ""
            next_step = " (s resumes)" if queued or late else ": everyone has it"
            lines.append(f"Mailing {started.campaign_id}: {counts} · {queued} still to send{added}{next_step}")
        info.update("\n".join(lines))

    def to_send(self) -> int:
        """How many a send now would reach: new, or what the started campaign still holds plus late additions."""
        return sum(still_to_send(self.ctx, self.plan)) if self.plan is not None else 0

    def action_send(self) -> None:
        if self.plan is None:
            self.notify(self.not_ready, title="Follow-up not ready", severity="error")
            return
        if self.ctx.store.read_only or self.campaign is not None:
            self.notify("Read-only, or a follow-up is already running.", severity="warning")
            return
        count, audience, title = self.to_send(), self.audience, self.plan.session.title
        if not count:
            self.notify(f"Nothing to send to the {audience.value}.")
            return
        attached = len(self.plan.materials.attachments)
        files = f" with {attached} attachment(s)" if attached else ""
        question = f"Send the follow-up of “{title}”{files} to {count} {audience.value}?"

        def start(confirmed: bool | None) -> None:
            if confirmed:
                self.run_followup(audience)

        self.app.push_screen(ConfirmModal(question, confirm_label=f"Send to {count}"), start)

    def action_edit_materials(self) -> None:
        if self.campaign is not None:
            self.notify("A follow-up is being sent; change the materials after it.", severity="warning")
            return
        self.bulletin_app.catch_up()  # the form opens on the newest saved materials
        session = self.attempt("Materials", lambda: get_session(self.ctx, self.slug), writes=False)
        if session is not None:
            saving: RecordSaving[MaterialsChange, SessionFollowUp] = RecordSaving(
                self.ctx.store, followups(self.ctx), self.slug, noun="follow-up", update=self._set_materials,
                create=self._set_materials)
            self.app.push_screen(MaterialsForm(session.title, saving), self._materials_saved)

    def _set_materials(self, change: MaterialsChange) -> SessionFollowUp:
        return set_materials(self.ctx, self.slug, change)

    def _materials_saved(self, saved: SessionFollowUp | None) -> None:
        if saved is not None:
            self.notify(f"Saved the follow-up materials of {self.slug}.")
            self.reload()

    @work(thread=True, exclusive=True, group="followup", exit_on_error=False, description="Follow-up")
    def run_followup(self, audience: Audience) -> None:
        """The campaign on its own thread and event loop; writes it causes are handed to the UI thread."""
        app: Any = self.app
        handle = FollowUpHandle(
            self.ctx,
            self.slug,
            audience,
            transport=app.make_transport(),
            on_progress=self._on_progress,
            write_on_owner=self._queue_write,
        )
        self.campaign = handle
        try:
            result = asyncio.run(handle.run())
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("Follow-up", one_line_cause(exc)))
            return
        finally:
            self.campaign = None
            self.post_message(BouncesToSuppress())
        self.post_message(CampaignFinished(followup_campaign_id(self.slug, audience), self.slug, result))

    @on(CampaignProgressed)
    def show_progress(self, event: CampaignProgressed) -> None:
        progress: Progress = event.progress
        self.progress_bar.update(total=max(progress.total, 1), progress=progress.done)
        paused = " · PAUSED (space resumes)" if self.campaign and self.campaign.paused else ""
        self.followup_line.update(progress.line() + paused)

    @on(CampaignFinished)
    def finished(self, event: CampaignFinished) -> None:
        result = event.result
        if result.status is RunStatus.COMPLETE:
            self.notify(
                f"{event.campaign_id} complete: {result.counts.get('sent', 0)} sent, {result.problems} problem(s)."
            )
        else:
            self.notify(
                f"{event.campaign_id} {result.status.value}: {result.reason or 'stopped by you'}. s resumes.",
                severity="warning",
                timeout=10,
            )
        self.post_message(DataChanged("campaigns"))
        self.reload()

    def action_pause_resume(self) -> None:
        self.toggle_pause()

    def action_stop(self) -> None:
        if self.campaign is not None:
            self.campaign.stop()
            self.notify("Stopping after the messages in flight; s resumes later.")

    async def action_close(self) -> None:
        """Back to the sessions screen; a running follow-up is stopped after the messages in flight first."""
        await self.stop_and_wait()
        self.dismiss()

    def on_unmount(self) -> None:
        if self.campaign is not None:
            self.campaign.stop()
