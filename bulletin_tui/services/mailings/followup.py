"""The follow-up after a session as a campaign: attendees (or, as its own campaign, registered no-shows) get the
materials through the same runner and ledger as a bulletin: resume, rate limits, never twice.

Campaign ids are `followup-SLUG` (attendees) and `followup-SLUG-noshows`. Running it again resumes the ledger;
the audience is the one snapshotted when it first started.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ...domain.errors import DomainError
from ...domain.followup import Audience, SessionFollowUp, in_audience
from ...domain.sessions import InfoSession
from ...domain.times import british_range
from ...rendering.followup import FollowUpLink, FollowUpView, RenderedFollowUp, render_followup
from ...rendering.personalise import NAME
from ...sending.mailing import Campaign, MessageFactory, ProgressHook, SkipCheck
from ...sending.mime import Attachment, MessageTemplate
from ...sending.progress import CampaignResult, Recipient
from ...sending.transport import Delivery, Transport
from ..context import AppContext
from ..mailauth.wiring import transport_for
from ..sessions.followup import FollowUpPlan, attachment_bytes, followup_plan
from ..sessions.registrations import registration_id
from ..subscribers.suppression import suppression_check
from . import runs
from .followup_additions import add_to_ledger, not_in_ledger
from .handle import CampaignHandle, WriteHook, write_now
from .send import hard_bounce_suppressor

HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "OOF, AutoReply"}
"""A transactional message: no List-Unsubscribe, but out-of-office replies stay out of the team mailbox."""


def followup_campaign_id(slug: str, audience: Audience = Audience.ATTENDEES) -> str:
    return f"followup-{slug}" if audience is Audience.ATTENDEES else f"followup-{slug}-noshows"


def followup_status(ctx: AppContext, slug: str, audience: Audience = Audience.ATTENDEES) -> runs.CampaignStatus | None:
    """The follow-up campaign's ledger summary, or None when it has not started."""
    campaign_id = followup_campaign_id(slug, audience)
    return runs.campaign_status(ctx, campaign_id) if runs.ledger_path(ctx, campaign_id).exists() else None


def still_to_send(ctx: AppContext, plan: FollowUpPlan) -> tuple[int, int]:
    """(queued or deferred in the started campaign, people recorded since who would be added); (n, 0) if new."""
    started = followup_status(ctx, plan.session.slug, plan.audience)
    if started is None:
        return len(plan.recipients), 0
    late = not_in_ledger(ctx, started.campaign_id, plan.recipients)
    return started.to_send, len(late)


def describe(plan: FollowUpPlan) -> str:
    """Who is in and who is left out, in one line (for the confirmation and for errors)."""
    parts = [f"{plan.attendees} attended", f"{plan.no_shows} registered but did not attend"]
    if plan.not_recorded:
        parts.append(f"{plan.not_recorded} with attendance not recorded (left out)")
    if plan.suppressed:
        parts.append(f"{plan.suppressed} suppressed (left out)")
    return ", ".join(parts)


def followup_subject(session: InfoSession, audience: Audience) -> str:
    if audience is Audience.ATTENDEES:
        return f"Thank you for attending: {session.title}"
    return f"Sorry we missed you: materials from {session.title}"


def followup_view(
    ctx: AppContext, session: InfoSession, materials: SessionFollowUp, audience: Audience
) -> FollowUpView:
    sender = ctx.settings.sender
    when = british_range(session.start, session.end)
    if audience is Audience.ATTENDEES:
        opening = f"Thank you for attending {session.title} on {when}. The materials from the session are below."
        ask = "Please tell us what you thought of the session: it takes a few minutes and shapes future sessions."
    else:
        opening = (
            f"You registered for {session.title} on {when} but could not join us. The materials from the "
            "session are below, so you can catch up."
        )
        ask = "If you looked at the materials, we would welcome your views on them."
    return FollowUpView(
        subject=followup_subject(session, audience),
        title=session.title,
        date_text=when,
        opening=opening,
        team_name=sender.team_name,
        team_email=sender.from_address,
        telephone=sender.telephone,
        links=tuple(FollowUpLink(link.text, link.url) for link in materials.links),
        feedback_url=materials.feedback_url or "",
        feedback_ask=ask,
        feedback_text=f"Complete the feedback questionnaire for {session.title}",
        note_paragraphs=tuple(p.strip() for p in materials.note.split("\n\n") if p.strip()),
        attachments=tuple(a.filename for a in materials.attachments),
        privacy_notice_url=sender.privacy_notice_url,
    )


def followup_message(
    ctx: AppContext, plan: FollowUpPlan, *, subject_prefix: str = ""
) -> tuple[RenderedFollowUp, MessageTemplate]:
    """Rendered and inlined once; the attachments read from their checked copies in the data folder."""
    view = followup_view(ctx, plan.session, plan.materials, plan.audience)
    rendered = render_followup(ctx.settings.templates_dir, view)
    files = [Attachment(a.filename, "application/pdf", attachment_bytes(ctx, a)) for a in plan.materials.attachments]
    template = MessageTemplate(
        subject=subject_prefix + rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sender=ctx.settings.sender,
        attachments=files,
        clock=ctx.clock,
    )
    return rendered, template


def followup_builder(ctx: AppContext, plan: FollowUpPlan, *, subject_prefix: str = "") -> MessageFactory:
    """Recipient -> message bytes: the shared template with that person's name in the greeting."""
    _, template = followup_message(ctx, plan, subject_prefix=subject_prefix)

    def build(recipient: Recipient) -> bytes:
        name = " ".join(recipient.name.split()) or "colleague"
        return template.render(recipient.email, {NAME: escape(name, quote=True)}, {NAME: name}, HEADERS)

    return build


def still_wanted(ctx: AppContext, slug: str, audience: Audience) -> SkipCheck:
    """Right before each send: erased, withdrawn, attendance changed or suppressed since the snapshot."""
    registrations, is_suppressed = ctx.store.registrations, suppression_check(ctx)

    def reason(recipient: Recipient) -> str | None:
        registration = registrations.get(registration_id(slug, recipient.email))
        if registration is None:
            return "no longer held (erased or removed)"
        if not in_audience(registration, audience):
            return "registration or attendance changed since the campaign started"
        if is_suppressed(recipient.email):
            return "suppressed"
        return None

    return reason


def followup_campaign(
    ctx: AppContext,
    slug: str,
    audience: Audience = Audience.ATTENDEES,
    *,
    transport: Transport | None = None,
    on_progress: ProgressHook | None = None,
    retry_failed: bool = False,
    resend_uncertain: bool = False,
    rate_per_minute: int | None = None,
    concurrency: int | None = None,
) -> Campaign:
    """A new follow-up campaign (audience snapshotted now), or the started one resumed."""
    plan = followup_plan(ctx, slug, audience)
    campaign_id = followup_campaign_id(slug, audience)
    started = runs.ledger_path(ctx, campaign_id).exists()
    if not started and not plan.recipients:
        raise DomainError(f"nobody to send the follow-up of '{slug}' to: {describe(plan)}")
    add_to_ledger(ctx, campaign_id, not_in_ledger(ctx, campaign_id, plan.recipients))
    meta = {
        "kind": "followup",
        "session": slug,
        "audience": audience.value,
        "subject": followup_subject(plan.session, audience),
        "suppressed_left_out": plan.suppressed,
    }

    def recipients() -> list[Recipient]:
        return [Recipient(r.email, r.name) for r in plan.recipients]

    return runs.open_campaign(
        ctx,
        campaign_id,
        recipients,
        followup_builder(ctx, plan),
        meta=meta,
        resume=started,
        retry_failed=retry_failed,
        resend_uncertain=resend_uncertain,
        transport=transport,
        rate_per_minute=rate_per_minute,
        options=runs.run_options(ctx, concurrency=concurrency),
        skip_reason=still_wanted(ctx, slug, audience),
        on_hard_bounce=hard_bounce_suppressor(ctx, campaign_id),
        on_progress=on_progress,
    )


class FollowUpHandle(CampaignHandle):
    """The follow-up through the same handle as a bulletin send: pause, resume and stop from any thread."""

    def __init__(
        self,
        ctx: AppContext,
        slug: str,
        audience: Audience = Audience.ATTENDEES,
        *,
        transport: Transport | None = None,
        on_progress: ProgressHook | None = None,
        write_on_owner: WriteHook = write_now,
        **options: Any,
    ) -> None:
        super().__init__(
            ctx, slug, None, transport=transport, on_progress=on_progress, write_on_owner=write_on_owner, **options
        )
        self.audience = audience

    def _open(self) -> Campaign:
        return followup_campaign(
            self.ctx,
            self.issue_slug,
            self.audience,
            transport=self._transport,
            on_progress=self._on_progress,
            **self._options,
        )

    def _finished(self, result: CampaignResult) -> None:
        """Nothing to mark: the ledger is the record of who got the follow-up."""


async def send_followup(
    ctx: AppContext, slug: str, audience: Audience = Audience.ATTENDEES, **options: Any
) -> CampaignResult:
    """Run (or resume) the follow-up campaign for one audience."""
    return await FollowUpHandle(ctx, slug, audience, **options).run()


async def send_followup_test(
    ctx: AppContext, slug: str, to: str, audience: Audience = Audience.ATTENDEES, *, transport: Transport | None = None
) -> Delivery:
    """One message marked [TEST] to the operator's address; no ledger, nothing else sent."""
    build = followup_builder(ctx, followup_plan(ctx, slug, audience), subject_prefix="[TEST] ")
    message = build(Recipient(to.strip(), ""))
    transport = transport or transport_for(ctx.settings, ctx.data_dir)
    try:
        return await transport.deliver(ctx.settings.sender.from_address, to.strip(), message)
    finally:
        await transport.close()
