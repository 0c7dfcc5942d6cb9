"""After a session: its materials (links, feedback questionnaire, PDFs, a note) and who the follow-up goes to.

Attachments are checked (a regular file within the size limit; a PDF by content, that pypdf opens and finds pages
in) and copied into the data folder (`followup-files/`, named by their SHA-256) when they are set: a send reads that
copy and checks its fingerprint, never the user's path."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.followup import (
    MAX_ATTACHMENT_BYTES,
    Audience,
    MaterialKind,
    MaterialLink,
    SessionFollowUp,
    StoredAttachment,
    check_pdf,
    check_ready,
    check_total,
    in_audience,
    size_text,
    unrecorded,
)
from ...domain.sessions import InfoSession, Registration
from ...locations import ensure_dir
from ...storage.atomic import atomic_write_bytes
from ...storage.collection import Collection
from ..context import AppContext, one_write
from ..inputs.files import pdf_pages, read_user_file
from ..sessions.catalogue import get_session
from ..sessions.registrations import registrations_for
from ..subscribers.suppression import suppression_check

TABLE = "session_followups"
FILES = "followup-files"


def followups(ctx: AppContext) -> Collection[SessionFollowUp]:
    return ctx.store.collection(TABLE, SessionFollowUp, lambda f: f.session_slug)


def files_dir(data_dir: Path, *, create: bool = False) -> Path:
    folder = data_dir / FILES
    return ensure_dir(folder) if create else folder


def get_materials(ctx: AppContext, slug: str) -> SessionFollowUp:
    """The session's materials (empty when none were set); NotFoundError for an unknown session."""
    get_session(ctx, slug)
    return followups(ctx).get(slug) or SessionFollowUp(session_slug=slug)


@dataclass
class MaterialsChange:
    """What to change: None leaves a value as it is, "" removes it."""

    links: dict[MaterialKind, str | None] = field(default_factory=dict)
    labels: dict[MaterialKind, str] = field(default_factory=dict)
    feedback_url: str | None = None
    note: str | None = None
    attach: Sequence[Path] = ()
    detach: Sequence[str] = ()

    @property
    def changes_anything(self) -> bool:
        """Whether any part is to change (False: the command only shows the materials)."""
        some = bool(self.links or self.labels or self.attach or self.detach)
        return some or self.feedback_url is not None or self.note is not None


@one_write
def set_materials(ctx: AppContext, slug: str, change: MaterialsChange) -> SessionFollowUp:
    """Apply a change: every file is checked before anything is stored; then files, then one database write."""
    current = get_materials(ctx, slug)
    incoming = [_read_pdf(path) for path in change.attach]
    attachments = _merged_attachments(current.attachments, change.detach, incoming)
    check_total(attachments)
    fields = {
        **current.model_dump(),
        "links": [item.model_dump() for item in _merged_links(current, change)],
        "feedback_url": _changed(current.feedback_url, change.feedback_url),
        "note": current.note if change.note is None else change.note,
        "attachments": [a.model_dump() for a in attachments],
        "updated_at": ctx.clock.now(),
        "updated_by": ctx.operator,
    }
    try:
        updated = SessionFollowUp.model_validate(fields)
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc).replace("feedback_url:", "feedback link:", 1)) from None
    for stored, data in incoming:
        _keep_file(ctx.data_dir, stored, data)
    with ctx.store.transaction():
        followups(ctx).put(updated)
    _prune_files(ctx)
    return updated


@one_write
def clear_materials(ctx: AppContext, slug: str) -> bool:
    """Forget a session's materials (and attachment copies no other session uses); False if there were none."""
    get_session(ctx, slug)
    table = followups(ctx)
    if slug not in table:
        return False
    with ctx.store.transaction():
        table.delete(slug)
    _prune_files(ctx)
    return True


def materials_summary(found: SessionFollowUp) -> list[str]:
    """The materials in a few lines, as the CLI and the terminal app show them."""
    if found.empty:
        return [f"No materials set for {found.session_slug} yet (e.g. --slides URL --feedback URL --attach FILE)."]
    lines = [f"  Feedback questionnaire: {found.feedback_url or '(none: set one with --feedback URL)'}"]
    lines += [f"  {link.text}: {link.url}" for link in found.links]
    lines += [f"  Attached: {a.filename} ({size_text(a.size)}, sha256 {a.sha256[:12]})" for a in found.attachments]
    if found.note:
        lines.append(f"  Note: {' '.join(found.note.split())}")
    return lines


def _changed(current: str | None, given: str | None) -> str | None:
    if given is None:
        return current
    return given.strip() or None


def _merged_links(current: SessionFollowUp, change: MaterialsChange) -> list[MaterialLink]:
    links = []
    for kind in MaterialKind:
        existing = current.link(kind)
        url = _changed(existing.url if existing else None, change.links.get(kind))
        label = change.labels.get(kind, existing.label if existing else "")
        if url:
            try:
                links.append(MaterialLink(kind=kind, url=url, label=label))
            except ValidationError as exc:
                problem = describe_validation_error(exc).removeprefix("url: ")
                raise DomainError(f"{kind.value} link {url}: {problem}") from None
    return links


def _merged_attachments(
    current: list[StoredAttachment], detach: Sequence[str], incoming: list[tuple[StoredAttachment, bytes]]
) -> list[StoredAttachment]:
    """Detached names go; a new file replaces one of the same name; order is kept."""
    unknown = [name for name in detach if name not in {a.filename for a in current}]
    if unknown:
        raise NotFoundError(
            f"no attachment named {unknown[0]} (attached: {', '.join(a.filename for a in current) or 'none'})"
        )
    replaced = set(detach) | {stored.filename for stored, _ in incoming}
    return [a for a in current if a.filename not in replaced] + [stored for stored, _ in incoming]


def _read_pdf(path: Path) -> tuple[StoredAttachment, bytes]:
    """Check one file (a regular file, its size before reading it, then its content and structure)."""
    data = read_user_file(path, MAX_ATTACHMENT_BYTES, "an attachment", advice="share a link to it instead")
    check_pdf(str(path), data)
    pdf_pages(str(path), data)
    name = path.name if path.suffix.lower() == ".pdf" else f"{path.name}.pdf"
    try:
        stored = StoredAttachment(filename=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    except ValidationError as exc:
        raise DomainError(f"{path}: the file name cannot be used ({describe_validation_error(exc)}); rename "
                          "the file") from None
    return stored, data


def _keep_file(data_dir: Path, stored: StoredAttachment, data: bytes) -> None:
    target = files_dir(data_dir, create=True) / stored.stored_name
    if not target.exists():
        atomic_write_bytes(target, data)  # mode 0600, fsynced


def _prune_files(ctx: AppContext) -> None:
    """Remove copies no session's materials refer to (after a detach, a replacement or a clear)."""
    folder = files_dir(ctx.data_dir)
    if not folder.is_dir():
        return
    wanted = {a.stored_name for f in followups(ctx) for a in f.attachments}
    for path in folder.glob("*.pdf"):
        if path.name not in wanted:
            path.unlink(missing_ok=True)


def attachment_bytes(ctx: AppContext, stored: StoredAttachment) -> bytes:
    """The stored copy, checked against its fingerprint (a changed or missing copy is refused, never sent)."""
    path = files_dir(ctx.data_dir) / stored.stored_name
    try:
        data = path.read_bytes()
    except OSError:
        raise DomainError(
            f"the stored copy of {stored.filename} is missing from {path.parent}; attach it "
            "again (bulletin-tui sessions materials SLUG --attach FILE)"
        ) from None
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise DomainError(
            f"the stored copy of {stored.filename} ({path}) has changed since it was attached; attach it again"
        )
    return data


@dataclass
class FollowUpPlan:
    """Who a follow-up would go to, and who is left out and why."""

    session: InfoSession
    materials: SessionFollowUp
    audience: Audience
    recipients: list[Registration]
    attendees: int
    no_shows: int
    not_recorded: int
    suppressed: int


def followup_plan(ctx: AppContext, slug: str, audience: Audience = Audience.ATTENDEES) -> FollowUpPlan:
    """Check the session is over with attendance recorded and materials set; the people in `audience`."""
    session = get_session(ctx, slug)
    registrations = registrations_for(ctx, slug)
    check_ready(session, registrations, ctx.clock.now())
    materials = followups(ctx).get(slug)
    if materials is None or materials.empty:
        raise DomainError(
            f"no materials set for '{slug}' yet (bulletin-tui sessions materials {slug} --slides "
            "URL --feedback URL ...)"
        )
    is_suppressed = suppression_check(ctx)
    chosen = [r for r in registrations if in_audience(r, audience)]
    wanted = [r for r in chosen if not is_suppressed(r.email)]
    return FollowUpPlan(
        session=session,
        materials=materials,
        audience=audience,
        recipients=wanted,
        attendees=sum(1 for r in registrations if in_audience(r, Audience.ATTENDEES)),
        no_shows=sum(1 for r in registrations if in_audience(r, Audience.NO_SHOWS)),
        not_recorded=unrecorded(registrations),
        suppressed=len(chosen) - len(wanted),
    )
