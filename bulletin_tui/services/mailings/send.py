"""Sending a bulletin issue to one or several lists: checks, one inlined render per variant, per-recipient tokens,
the campaign runner.

Also the send area's privacy hooks (`ledger_entries_for`, `redact_ledgers`) and the SMTP connection test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...domain.bulletins import IssueStatus
from ...domain.errors import DomainError
from ...domain.subscribers import DistributionList
from ...rendering import PreparedIssue, personal_values
from ...sending.headers import BULK_HEADERS, list_id
from ...sending.mailing import Campaign, MessageFactory, ProgressHook
from ...sending.mime import MessageTemplate
from ...sending.progress import CampaignResult, Progress, Recipient, RunStatus
from ...sending.scrub import without_address
from ...sending.smtp import check_connection
from ...sending.transport import Delivery, Outcome, Transport
from ...sending.unsubscribe import UnsubscribeLinks, unsubscribe_links
from ..bulletins.issues import blocking, get_issue, run_checks
from ..bulletins.prepare import prepare_issue
from ..context import AppContext
from ..mailauth.wiring import token_provider
from ..subscribers.suppression import suppress, suppression_digest
from ..subscribers.tokens import token_maker
from . import runs as campaigns
from .audience import (
    audience_snapshot,  # noqa: F401  (re-exported: send.audience_snapshot)
    campaign_audience,
    choose_lists,
    membership,
    still_wanted,
    subscribed_slugs,
)
from .single import deliver_one

ListChoice = str | Sequence[str] | None
"""One list or several, each by slug or name; None means the only list there is."""


def campaign_id_for(issue_slug: str, lists: str | Sequence[str]) -> str:
    """`bulletin-ISSUE-LIST`, or `bulletin-ISSUE-A+B` for several lists (sorted: the same for any order)."""
    slugs = [lists] if isinstance(lists, str) else sorted(set(lists))
    return f"bulletin-{issue_slug}-{'+'.join(slugs)}"


def unsubscribe_linker(ctx: AppContext, list_slug: str) -> Callable[[str], UnsubscribeLinks]:
    """Address -> the body link and List-Unsubscribe headers for that person's membership of the list."""
    sender, token_for = ctx.settings.sender, token_maker(ctx, list_slug)
    return lambda email: unsubscribe_links(sender, token_for(email))


def bulletin_template(ctx: AppContext, prepared: PreparedIssue, list_slug: str, *, subject_prefix: str = "") -> (
    MessageTemplate
):
    sender = ctx.settings.sender
    return MessageTemplate(
        subject=subject_prefix + prepared.subject, html=prepared.html, text=prepared.text, sender=sender,
        list_id=list_id(sender.team_name, list_slug, sender.identity_domain), clock=ctx.clock,
    )


def bulletin_builder(ctx: AppContext, prepared: PreparedIssue, dl: DistributionList, **kw: str) -> MessageFactory:
    """Recipient -> message bytes: the shared template plus that person's name, address and unsubscribe link."""
    template, links = bulletin_template(ctx, prepared, dl.slug, **kw), unsubscribe_linker(ctx, dl.slug)

    def build(recipient: Recipient) -> bytes:
        link = links(recipient.email)
        html_values, text_values = personal_values(
            prepared, name=recipient.name, unsubscribe_url=link.body_url, email=recipient.email, list_name=dl.name)
        return template.render(recipient.email, html_values, text_values, {**BULK_HEADERS, **link.headers})

    return build


def prepare_variants(ctx: AppContext, issue_slug: str, lists: Sequence[DistributionList]) -> dict[
        bool, PreparedIssue]:
    """Each variant these lists need, rendered and inlined once (before sending: premailer is slow)."""
    needed = sorted({d.cleared_for_restricted for d in lists})
    return {restricted: prepare_issue(ctx, issue_slug, restricted=restricted) for restricted in needed}


def multi_list_builder(ctx: AppContext, variants: dict[bool, PreparedIssue], lists: Sequence[DistributionList],
                       **kw: str) -> MessageFactory:
    """Recipient -> message bytes, each person's variant and list decided by the lists they are on right now."""
    builders: dict[tuple[bool, str], MessageFactory] = {}
    people = ctx.store.subscribers

    def build(recipient: Recipient) -> bytes:
        reach = membership(lists, subscribed_slugs(people.row(recipient.key)))
        restricted, home = (reach.restricted, reach.home) if reach else (lists[0].cleared_for_restricted, lists[0])
        if (restricted, home.slug) not in builders:
            builders[restricted, home.slug] = bulletin_builder(ctx, variants[restricted], home, **kw)
        return builders[restricted, home.slug](recipient)

    return build


def hard_bounce_suppressor(ctx: AppContext, campaign_id: str = "") -> Callable[[Recipient, Delivery], None]:
    """Suppress a hard-bounced address, recording the campaign and the reply (`unsuppress --mailing` lifts)."""

    def on_hard_bounce(recipient: Recipient, delivery: Delivery) -> None:
        reply = without_address(delivery.summary, recipient.email)
        suppress(ctx, recipient.email, f"hard bounce: {reply}", campaign=campaign_id, reply=reply)

    return on_hard_bounce


def bulletin_campaign(
    ctx: AppContext, issue_slug: str, lists: ListChoice = None, *, resume: bool = False,
    retry_failed: bool = False, resend_uncertain: bool = False, rate_per_minute: int | None = None,
    concurrency: int | None = None, force: bool = False, transport: Transport | None = None,
    on_progress: ProgressHook | None = None, include_already_sent: bool = False,
) -> Campaign:
    """A campaign ready to `run()`: checks pass (or `force`), each variant rendered once, audience snapshotted.

    Several lists make one campaign (the union, each person once); people an earlier campaign of this issue
    reached are left out unless `include_already_sent`."""
    issue = get_issue(ctx, issue_slug)
    chosen = choose_lists(ctx, lists)
    slugs = [d.slug for d in chosen]
    campaign_id = campaign_id_for(issue_slug, slugs)
    continuing = resume or retry_failed or resend_uncertain
    if not continuing and not force:
        errors = blocking(run_checks(ctx, issue_slug, list_slug=slugs))
        if errors:
            raise DomainError(f"issue {issue.slug} fails {len(errors)} pre-send check(s): {errors[0].message} "
                              "(see: bulletin-tui bulletin check; --force to override)")

    variants = prepare_variants(ctx, issue_slug, chosen)
    restricted = True in variants
    meta = {"kind": "bulletin", "issue": issue_slug, "list": "+".join(slugs), "lists": slugs,
            "subject": variants[restricted].subject, "restricted": restricted,
            "forced": force, "include_already_sent": include_already_sent}

    def audience() -> list[Recipient]:
        """Snapshotted once, when the campaign starts; the campaign record says how many were left out."""
        people, meta["already_received"] = campaign_audience(
            ctx, issue_slug, chosen, include_already_sent=include_already_sent, campaign_id=campaign_id)
        return people

    return campaigns.open_campaign(
        ctx, campaign_id, audience, multi_list_builder(ctx, variants, chosen), meta=meta,
        resume=resume, retry_failed=retry_failed, resend_uncertain=resend_uncertain, transport=transport,
        rate_per_minute=rate_per_minute,
        options=campaigns.run_options(ctx, concurrency=concurrency), skip_reason=still_wanted(ctx, chosen),
        on_hard_bounce=hard_bounce_suppressor(ctx, campaign_id), on_progress=on_progress,
    )


def record_outcome(ctx: AppContext, issue_slug: str, result: CampaignResult) -> None:
    """Mark the issue sent (with the time) once a campaign for it has completed."""
    if result.status is RunStatus.COMPLETE:
        issue = get_issue(ctx, issue_slug)
        if issue.status is not IssueStatus.SENT:
            ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT, "sent_at": ctx.clock.now()}))


async def send_test(
    ctx: AppContext, issue_slug: str, to: str, lists: ListChoice = None, *, transport: Transport | None = None
) -> Delivery:
    """One message, marked [TEST], to the operator's address; no ledger, nothing else sent; it counts against the
    mailbox's budget like any message.

    With several lists it is the most restricted variant any of them receives."""
    chosen = choose_lists(ctx, lists)
    dl = next((d for d in chosen if d.cleared_for_restricted), chosen[0])
    prepared = prepare_issue(ctx, issue_slug, restricted=dl.cleared_for_restricted)
    message = bulletin_builder(ctx, prepared, dl, subject_prefix="[TEST] ")(Recipient(to.strip(), ""))
    return await deliver_one(ctx, to.strip(), message, transport=transport)


async def send_tests(ctx: AppContext, issue_slug: str, to: str, lists: ListChoice = None, *,
                     transports: Callable[[], Transport | None] = lambda: None) -> list[tuple[str, Delivery]]:
    """One [TEST] copy of each variant these lists would receive (general, then restricted), each through a
    transport of its own (`transports()`; None: the settings'). Returns (variant, delivery) pairs; with two
    variants the subjects say which is which."""
    chosen = choose_lists(ctx, lists)
    variants = prepare_variants(ctx, issue_slug, chosen)
    sent = []
    for restricted, prepared in sorted(variants.items()):
        dl = next(d for d in chosen if d.cleared_for_restricted == restricted)
        variant = "restricted" if restricted else "general"
        prefix = f"[TEST {variant}] " if len(variants) > 1 else "[TEST] "
        message = bulletin_builder(ctx, prepared, dl, subject_prefix=prefix)(Recipient(to.strip(), ""))
        sent.append((variant, await deliver_one(ctx, to.strip(), message, transport=transports())))
    return sent


async def check_smtp_connection(ctx: AppContext) -> str:
    """Connect to the configured SMTP server (TLS, login) and say how it went; DomainError if it failed."""
    if not ctx.settings.smtp.host:
        return f"No SMTP server configured: messages go to the outbox folder in {ctx.data_dir}"
    oauth = ctx.settings.smtp.auth == "oauth2"
    token_source = token_provider(ctx.settings, ctx.data_dir) if oauth else None
    return await check_connection(ctx.settings.smtp, token_source=token_source)


def ledger_entries_for(ctx: AppContext, email: str) -> list[dict[str, Any]]:
    """Every send-ledger record about this address (subject access)."""
    return campaigns.entries_for(ctx, email)


def redact_ledgers(ctx: AppContext, email: str) -> int:
    """Erasure: replace the address in every ledger with its suppression HMAC; returns records changed."""
    return campaigns.redact(ctx, email, suppression_digest(ctx, email))


list_campaigns = campaigns.list_campaigns
__all__ = ["CampaignResult", "Outcome", "Progress", "bulletin_campaign", "check_smtp_connection",
           "ledger_entries_for", "list_campaigns", "redact_ledgers", "send_test", "send_tests"]
