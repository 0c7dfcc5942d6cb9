"""Deciding about a draft item: accept it into the backlog, the next issue or a named one (attachments kept only
when asked), or make one from an .eml file. Each decision is one write."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ...domain.bulletins import BulletinIssue, BulletinItem, Category, IssueStatus
from ...domain.errors import DomainError
from ...domain.times import LONDON
from ...locations import ensure_dir
from ...mailbox.contribution import extract
from ...mailbox.message import Mail, parse_mail, walk
from ..bulletins.assembly import add_item
from ..context import AppContext, one_write
from ..inputs.files import EML_MAX_BYTES, read_user_file
from .drafts import KIND, ContributionDraft, draft_of, drafts_table
from .records import InboxMessage, MessageState, inbox_messages, record
from .review import find_message


@dataclass
class Accepted:
    """The item a draft became, where it went, and the attachments kept with it."""

    item: BulletinItem
    draft: ContributionDraft
    issue: str | None = None
    kept: list[Path] = field(default_factory=list)


def next_issue(ctx: AppContext) -> BulletinIssue:
    """The draft issue to fill next: the earliest monthly issue from this month on, else the newest draft."""
    this_month = f"{ctx.clock.now().astimezone(LONDON):%Y-%m}"
    drafts = [i for i in ctx.store.issues if i.status is IssueStatus.DRAFT]
    monthly = sorted(i for i in (d.slug for d in drafts) if re.fullmatch(r"\d{4}-\d{2}", i) and i >= this_month)
    if monthly:
        return next(d for d in drafts if d.slug == monthly[0])
    if not drafts:
        raise DomainError(f"no draft issue to add to; start one with: bulletin-tui bulletin new {this_month}")
    return max(drafts, key=lambda d: d.created_at)


def draft_for(ctx: AppContext, ref: str) -> tuple[InboxMessage, ContributionDraft]:
    """The review-queue message (number or Message-ID) and its draft item."""
    message = find_message(ctx, ref)
    draft = drafts_table(ctx).get(message.key)
    if draft is None or message.kind != KIND:
        raise DomainError(
            f"{message.key} is not a draft item (only e-mails from known partners are drafted; "
            "save it as an .eml file and use: bulletin-tui bulletin add-item --from-eml FILE)"
        )
    return message, draft


def _summary_with_links(draft: ContributionDraft) -> str:
    """The summary, followed by links it does not already show (the first link is the item's own link)."""
    extra = [link for link in draft.links[1:] if link not in draft.summary]
    also = "See also: " + ", ".join(f"<{link}>" for link in extra) if extra else ""
    return "\n\n".join(part for part in (draft.summary, also) if part)[:5000]


def _item(ctx: AppContext, draft: ContributionDraft, issue: str | None, category: str | None) -> BulletinItem:
    contact = draft.contact_name or draft.contact_email or "unknown sender"
    return add_item(
        ctx,
        issue,
        title=draft.title,
        category=Category.parse(category) if category else draft.category,
        summary=_summary_with_links(draft),
        link=draft.links[0] if draft.links else None,
        source_organisation=draft.organisation,
        closing_date=draft.closing_date,
        contributed_by=f"{contact} by e-mail ({ctx.operator})"[:200],
    )


def _target(ctx: AppContext, issue: str | None, to_next: bool) -> str | None:
    if issue and to_next:
        raise DomainError("choose --issue SLUG or --next, not both")
    return next_issue(ctx).slug if to_next else issue


@one_write
def accept(
    ctx: AppContext,
    ref: str,
    *,
    issue: str | None = None,
    to_next: bool = False,
    category: str | None = None,
    original: bytes | None = None,
) -> Accepted:
    """Make the draft an item (backlog, next or named issue); with the original message, keep its attachments."""
    message, draft = draft_for(ctx, ref)
    if message.state is not MessageState.REVIEW:
        raise DomainError(f"{message.key} is not waiting for review ({message.state.value})")
    target, kept = _target(ctx, issue, to_next), list[Path]()
    try:
        with ctx.store.transaction():
            item = _item(ctx, draft, target, category)
            if original is not None:
                keep_attachments(ctx, item.id, parse_mail(original), kept)
            draft = _accepted(ctx, draft, item, target, kept)
            where = f"issue {target}" if target else "the backlog"
            action = record(ctx, message.key, "accepted", "", f"draft item {item.id} into {where}", {"item": item.id})
            inbox_messages(ctx).put(
                message.model_copy(update={"state": MessageState.RESOLVED, "actions": [*message.actions, action]})
            )
    except BaseException:
        _remove_kept(kept)
        raise
    return Accepted(item, draft, target, kept)


def _accepted(
    ctx: AppContext, draft: ContributionDraft, item: BulletinItem, issue: str | None, kept: list[Path]
) -> ContributionDraft:
    by_name = {path.name: path for path in kept}
    files = [
        a.model_copy(update={"kept_as": str(by_name[_safe_name(a.filename)].relative_to(ctx.data_dir))})
        if _safe_name(a.filename) in by_name
        else a
        for a in draft.attachments
    ]
    return drafts_table(ctx).put(
        draft.model_copy(update={"item_id": item.id, "issue": issue or "", "attachments": files})
    )


def read_eml(path: Path) -> tuple[Mail, bytes]:
    """An .eml file parsed (and its bytes), or one clear line naming the file (missing, too big, not an e-mail)."""
    raw = read_user_file(path, EML_MAX_BYTES, "an e-mail file")
    mail = parse_mail(raw)
    if not raw.strip() or not (mail.message.get("From") or mail.message.get("Subject")):
        raise DomainError(f"{path}: not an e-mail message (no From or Subject header)")
    if not extract(mail).summary and not mail.subject:
        raise DomainError(f"{path}: the message has neither a subject nor any text to make an item from")
    return mail, raw


def add_from_eml(
    ctx: AppContext,
    path: Path,
    *,
    issue: str | None = None,
    to_next: bool = False,
    category: str | None = None,
    keep: bool = False,
) -> Accepted:
    """An item from an e-mail saved as a file (any sender; the organisation from the registry when known)."""
    mail, raw = read_eml(path)
    key = "file:" + hashlib.sha256(raw).hexdigest()[:32]
    earlier = drafts_table(ctx).get(key)
    if earlier is not None and earlier.item_id in ctx.store.items:
        raise DomainError(f"{path}: this message was already added as item {earlier.item_id}")
    target, kept = _target(ctx, issue, to_next), list[Path]()
    draft = draft_of(ctx, key, mail)
    try:
        with ctx.store.transaction():
            item = _item(ctx, draft, target, category)
            if keep:
                keep_attachments(ctx, item.id, mail, kept)
            draft = _accepted(ctx, draft, item, target, kept)
    except BaseException:
        _remove_kept(kept)
        raise
    return Accepted(item, draft, target, kept)


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^\w.() -]+", "_", Path(filename.replace("\\", "/")).name).strip(" .")
    return name[:120] or "attachment"


def attachments_dir(ctx: AppContext, item_id: str) -> Path:
    """Where an item's kept attachments live: private, under the data folder."""
    return ctx.data_dir / "contributions" / item_id


def keep_attachments(ctx: AppContext, item_id: str, mail: Mail, saved: list[Path]) -> None:
    """Save the message's attached files (0600) beside the item, adding each path written to `saved`."""
    for part in walk(mail.message):
        if part.is_multipart() or not (
            part.get_content_disposition() == "attachment"
            or (part.get_filename() and part.get_content_disposition() != "inline")
        ):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        folder = ensure_dir(ensure_dir(attachments_dir(ctx, item_id).parent) / item_id)
        path = folder / _safe_name(part.get_filename() or "attachment")
        if path in saved or path.exists():
            raise DomainError(f"{path} already exists (two attachments of the same name?); nothing was kept")
        saved.append(path)
        with path.open("xb") as handle:
            path.chmod(0o600)
            handle.write(payload)


def _remove_kept(kept: list[Path]) -> None:
    for path in kept:
        path.unlink(missing_ok=True)
    folders = {path.parent for path in kept}
    for folder in folders:
        if folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)


@one_write
def undo_accept(ctx: AppContext, message_key: str, item_id: str) -> str:
    """Take an accepted draft's item out again (not once in a sent issue); the message waits for review again."""
    holding = [i for i in ctx.store.issues if item_id in i.item_ids]
    sent = [i.slug for i in holding if i.status is IssueStatus.SENT]
    if sent:
        raise DomainError(f"item {item_id} was sent in issue {sent[0]}; it cannot be taken back")
    ctx.store.issues.put_many(
        [i.model_copy(update={"item_ids": [x for x in i.item_ids if x != item_id]}) for i in holding]
    )
    ctx.store.items.delete(item_id)
    draft = drafts_table(ctx).get(message_key)
    if draft is not None:
        for attachment in draft.attachments:
            if attachment.kept_as:
                (ctx.data_dir / attachment.kept_as).unlink(missing_ok=True)
        drafts_table(ctx).put(
            draft.model_copy(
                update={
                    "item_id": "",
                    "issue": "",
                    "attachments": [a.model_copy(update={"kept_as": ""}) for a in draft.attachments],
                }
            )
        )
    message = inbox_messages(ctx).get(message_key)
    if message is not None:
        inbox_messages(ctx).put(message.model_copy(update={"state": MessageState.REVIEW}))
    return f"item {item_id} removed; the draft waits for review again"
