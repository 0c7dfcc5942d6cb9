"""Sending a bulletin issue to a list: checks, one inlined render, per-recipient tokens, the campaign runner.

Also the send area's privacy hooks (`ledger_entries_for`, `redact_ledgers`) and the SMTP connection test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ...domain.bulletins import IssueStatus
from ...domain.errors import DomainError, NotFoundError
from ...domain.subscribers import DistributionList, MembershipStatus
from ...rendering import PreparedIssue, personal_values
from ...sending.campaign import Campaign, MessageFactory, ProgressHook, SkipCheck
from ...sending.headers import list_id, list_unsubscribe
from ...sending.mime import MessageTemplate
from ...sending.progress import CampaignResult, Progress, Recipient, RunStatus
from ...sending.smtp import check_connection
from ...sending.transport import Delivery, Outcome, Transport, make_transport
from ..bulletins.issues import blocking, get_issue, run_checks
from ..bulletins.prepare import prepare_issue
from ..context import AppContext
from ..subscribers.suppression import digester, suppress, suppressed_digests, suppression_digest, suppressions
from ..subscribers.tokens import token_maker
from . import runs as campaigns


def campaign_id_for(issue_slug: str, list_slug: str) -> str:
    return f"bulletin-{issue_slug}-{list_slug}"


def choose_list(ctx: AppContext, list_slug: str | None) -> DistributionList:
    """The named list, or the only list there is; NotFoundError / DomainError otherwise."""
    if list_slug:
        found = ctx.store.lists.get(list_slug)
        if found is None:
            raise NotFoundError(f"no list '{list_slug}' (see: bulletin-tui subscribers lists)")
        return found
    lists = ctx.store.lists.all()
    if len(lists) != 1:
        names = ", ".join(sorted(d.slug for d in lists)) or "none yet"
        raise DomainError(f"say which list to send to with --list ({names})")
    return lists[0]


def audience_snapshot(ctx: AppContext, list_slug: str) -> list[Recipient]:
    """`subscribers.audience()` (same rule, same order) as light (address, name) pairs.

    Read from the stored rows: 10,000 validated Subscriber models cost ~21 MB for the two fields a send needs."""
    blocked, digest = suppressed_digests(ctx), digester(ctx)
    chosen = [
        Recipient(row["email"], row.get("name", "")) for row in ctx.store.subscribers.rows()
        if row.get("lists", {}).get(list_slug, {}).get("status") == MembershipStatus.SUBSCRIBED.value
    ]
    return sorted((r for r in chosen if not blocked or digest(r.email) not in blocked), key=lambda r: r.key)


def unsubscribe_linker(ctx: AppContext, list_slug: str) -> Callable[[str], tuple[str, dict[str, str]]]:
    """Address -> (link for the body, List-Unsubscribe headers) for that person's membership of the list."""
    sender, token_for = ctx.settings.sender, token_maker(ctx, list_slug)

    def links(email: str) -> tuple[str, dict[str, str]]:
        token = token_for(email)
        mailto = f"mailto:{sender.from_address}?subject={quote('unsubscribe ' + token)}"
        https = f"{sender.unsubscribe_url}{token}" if sender.unsubscribe_url else ""
        return https or mailto, list_unsubscribe(mailto, https)

    return links


def bulletin_template(ctx: AppContext, prepared: PreparedIssue, list_slug: str, *, subject_prefix: str = "") -> (
    MessageTemplate
):
    sender = ctx.settings.sender
    return MessageTemplate(
        subject=subject_prefix + prepared.subject, html=prepared.html, text=prepared.text, sender=sender,
        list_id=list_id(sender.team_name, list_slug, sender.list_id_domain), clock=ctx.clock,
    )


def bulletin_builder(ctx: AppContext, prepared: PreparedIssue, dl: DistributionList, **kw: str) -> MessageFactory:
    """Recipient -> message bytes: the shared template plus that person's name, address and unsubscribe link."""
    template, links = bulletin_template(ctx, prepared, dl.slug, **kw), unsubscribe_linker(ctx, dl.slug)

    def build(recipient: Recipient) -> bytes:
        url, headers = links(recipient.email)
        html_values, text_values = personal_values(
            prepared, name=recipient.name, unsubscribe_url=url, email=recipient.email, list_name=dl.name)
        return template.render(recipient.email, html_values, text_values, headers)

    return build


def still_wanted(ctx: AppContext, list_slug: str) -> SkipCheck:
    """Right before each send: a reason to skip (erased, unsubscribed, suppressed since queueing) or None."""
    digest, people, blocked = digester(ctx), ctx.store.subscribers, suppressions(ctx)

    def reason(recipient: Recipient) -> str | None:
        row = people.row(recipient.key)
        if row is None:
            return "no longer held (erased or removed)"
        if row.get("lists", {}).get(list_slug, {}).get("status") != MembershipStatus.SUBSCRIBED.value:
            return "unsubscribed since the campaign started"
        if len(blocked) and digest(recipient.email) in blocked:
            return "suppressed"
        return None

    return reason


def hard_bounce_suppressor(ctx: AppContext) -> Callable[[Recipient, Delivery], None]:
    def on_hard_bounce(recipient: Recipient, delivery: Delivery) -> None:
        suppress(ctx, recipient.email, f"hard bounce: {delivery.summary}")

    return on_hard_bounce


def bulletin_campaign(
    ctx: AppContext, issue_slug: str, list_slug: str | None = None, *, resume: bool = False,
    retry_failed: bool = False, resend_uncertain: bool = False, rate_per_minute: int | None = None,
    concurrency: int | None = None, force: bool = False, transport: Transport | None = None,
    on_progress: ProgressHook | None = None,
) -> Campaign:
    """A campaign ready to `run()`: checks pass (or `force`), issue rendered once, audience snapshotted."""
    issue = get_issue(ctx, issue_slug)
    dl = choose_list(ctx, list_slug)
    continuing = resume or retry_failed or resend_uncertain
    if not continuing and not force:
        errors = blocking(run_checks(ctx, issue_slug, list_slug=dl.slug))
        if errors:
            raise DomainError(f"issue {issue.slug} fails {len(errors)} pre-send check(s): {errors[0].message} "
                              "(see: bulletin-tui bulletin check; --force to override)")
    prepared = prepare_issue(ctx, issue_slug, restricted=dl.cleared_for_restricted)
    return campaigns.open_campaign(
        ctx, campaign_id_for(issue_slug, dl.slug),
        lambda: audience_snapshot(ctx, dl.slug),
        bulletin_builder(ctx, prepared, dl),
        meta={"kind": "bulletin", "issue": issue_slug, "list": dl.slug, "subject": prepared.subject,
              "restricted": dl.cleared_for_restricted, "forced": force},
        resume=resume, retry_failed=retry_failed, resend_uncertain=resend_uncertain, transport=transport,
        rate_per_minute=rate_per_minute,
        options=campaigns.run_options(ctx, concurrency=concurrency), skip_reason=still_wanted(ctx, dl.slug),
        on_hard_bounce=hard_bounce_suppressor(ctx), on_progress=on_progress,
    )


async def send_bulletin(ctx: AppContext, issue_slug: str, list_slug: str | None = None, **options: Any) -> (
    CampaignResult
):
    """Run (or resume) the bulletin campaign to one list; the issue is marked sent once it completes."""
    from .handle import CampaignHandle  # the handle is built on this module

    return await CampaignHandle(ctx, issue_slug, list_slug, **options).run()


def record_outcome(ctx: AppContext, issue_slug: str, result: CampaignResult) -> None:
    """Mark the issue sent (with the time) once a campaign for it has completed."""
    if result.status is RunStatus.COMPLETE:
        issue = get_issue(ctx, issue_slug)
        if issue.status is not IssueStatus.SENT:
            ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT, "sent_at": ctx.clock.now()}))


async def send_test(
    ctx: AppContext, issue_slug: str, to: str, list_slug: str | None = None, *, transport: Transport | None = None
) -> Delivery:
    """One message, marked [TEST], to the operator's address; no ledger, no rate limit, nothing else sent."""
    dl = choose_list(ctx, list_slug)
    prepared = prepare_issue(ctx, issue_slug, restricted=dl.cleared_for_restricted)
    message = bulletin_builder(ctx, prepared, dl, subject_prefix="[TEST] ")(Recipient(to.strip(), ""))
    transport = transport or make_transport(ctx.settings, ctx.data_dir)
    try:
        return await transport.deliver(ctx.settings.sender.from_address, to.strip(), message)
    finally:
        await transport.close()


async def check_smtp_connection(ctx: AppContext) -> str:
    """Connect to the configured SMTP server (TLS, login) and say how it went; DomainError if it failed."""
    if not ctx.settings.smtp.host:
        return f"No SMTP server configured: messages go to the outbox folder in {ctx.data_dir}"
    return await check_connection(ctx.settings.smtp)


def ledger_entries_for(ctx: AppContext, email: str) -> list[dict[str, Any]]:
    """Every send-ledger record about this address (subject access)."""
    return campaigns.entries_for(ctx, email)


def redact_ledgers(ctx: AppContext, email: str) -> int:
    """Erasure: replace the address in every ledger with its suppression HMAC; returns records changed."""
    return campaigns.redact(ctx, email, suppression_digest(ctx, email))


list_campaigns = campaigns.list_campaigns
__all__ = ["CampaignResult", "Outcome", "Progress", "bulletin_campaign", "check_smtp_connection",
           "ledger_entries_for", "list_campaigns", "redact_ledgers", "send_bulletin", "send_test"]
