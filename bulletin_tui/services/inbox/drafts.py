"""Draft bulletin items from partners' e-mails: made in the inbox pass (same write as the message record) or
from an .eml file, kept in the table `contributions` until a person accepts or dismisses them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ...domain.base import Model
from ...domain.bulletins import Category
from ...mailbox.contribution import Contribution, extract
from ...mailbox.message import Mail
from ...storage.collection import Collection
from ..context import AppContext
from ..partners.registry import partner_for

KIND = "contribution"
"""The kind an inbox message from a known partner is recorded with."""


class AttachmentInfo(Model):
    filename: str
    content_type: str = ""
    size: int = 0
    kept_as: str = Field(default="", description="file under the data folder, when a person kept it")


class ContributionDraft(Model):
    """What a partner's e-mail offers as a bulletin item, and what became of it."""

    key: str = Field(description="the inbox message key (Message-ID), or file:<sha256> for an .eml file")
    received_at: datetime
    title: str
    summary: str = ""
    category: Category = Category.NEWS
    links: list[str] = Field(default_factory=list)
    closing_date: date | None = None
    organisation: str = ""
    partner: str = Field(default="", description="the registry's slug, when the sender is a known partner")
    contact_name: str = ""
    contact_email: str = ""
    attachments: list[AttachmentInfo] = Field(default_factory=list)
    forwarded: bool = False
    item_id: str = Field(default="", description="the bulletin item it became, once accepted")
    issue: str = ""


def drafts_table(ctx: AppContext) -> Collection[ContributionDraft]:
    return ctx.store.collection("contributions", ContributionDraft, lambda d: d.key)


def draft_of(ctx: AppContext, key: str, mail: Mail, contribution: Contribution | None = None) -> ContributionDraft:
    """The draft a message offers, with the organisation from the registry when the sender is known."""
    found = contribution or extract(mail)
    partner = partner_for(ctx, found.contact_email)
    return ContributionDraft(
        key=key,
        received_at=ctx.clock.now(),
        title=found.title,
        summary=found.summary,
        category=found.category,
        links=found.links,
        closing_date=found.closing_date,
        organisation=partner.name if partner else "",
        partner=partner.slug if partner else "",
        contact_name=found.contact_name,
        contact_email=found.contact_email,
        attachments=[
            AttachmentInfo(filename=a.filename, content_type=a.content_type, size=a.size) for a in found.attachments
        ],
        forwarded=found.forwarded,
    )


def draft_from_partner(ctx: AppContext, mail: Mail, key: str) -> ContributionDraft | None:
    """In the inbox pass: a draft (stored) when the sender speaks for a known partner, else None."""
    if not mail.sender or partner_for(ctx, mail.sender) is None:
        return None
    return drafts_table(ctx).put(draft_of(ctx, key, mail))


def describe(draft: ContributionDraft) -> list[str]:
    """The draft as lines for a person deciding about it (CLI `inbox show`, the TUI's preview)."""
    lines = [f"Title:        {draft.title}", f"Category:     {draft.category.value}"]
    lines.append(
        f"From:         {draft.contact_name or '-'} <{draft.contact_email or '-'}>"
        + (f", {draft.organisation}" if draft.organisation else " (not a known partner)")
    )
    if draft.closing_date:
        lines.append(f"Closes:       {draft.closing_date:%d %B %Y}")
    lines.append(f"Summary:      {draft.summary or '(no text found)'}")
    lines += [f"Link:         {link}" for link in draft.links] or ["Links:        none"]
    lines += [
        f"Attachment:   {a.filename} ({a.content_type}, {_size(a.size)})" + (" kept" if a.kept_as else "")
        for a in draft.attachments
    ]
    if draft.item_id:
        lines.append(f"Accepted as:  {draft.item_id}" + (f" in {draft.issue}" if draft.issue else " (backlog)"))
    return lines


def _size(size: int) -> str:
    return (
        f"{size} bytes"
        if size < 1024
        else f"{size / 1024:.1f} KB"
        if size < 1024 * 1024
        else (f"{size / 1024 / 1024:.1f} MB")
    )
