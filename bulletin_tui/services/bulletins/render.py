"""Write an issue to a folder: inlined HTML, plain text, archive page, session .ics files and a sample .eml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...domain.errors import DomainError
from ...invites.ics import Organizer, publish_calendar
from ...rendering import PreparedIssue, personal_values
from ...rendering.personalise import substitute
from ...sending import headers
from ...sending.mime import MessageTemplate
from ...storage.atomic import atomic_write_bytes
from ..context import AppContext
from .prepare import prepare_issue

SAMPLE_NAME = "Sample Reader"
SAMPLE_ADDRESS = "sample.reader@example.invalid"


@dataclass(frozen=True)
class RenderedFiles:
    folder: Path
    files: list[Path]
    html_bytes: int


def sample_message(ctx: AppContext, prepared: PreparedIssue, to: str = SAMPLE_ADDRESS) -> bytes:
    """One complete message as a sample recipient would receive it."""
    sender = ctx.settings.sender
    mailto = f"mailto:{sender.from_address}?subject=unsubscribe"
    https = f"{sender.unsubscribe_url.rstrip('/')}/sample" if sender.unsubscribe_url.startswith("https://") else ""
    html_values, text_values = personal_values(
        prepared, name=SAMPLE_NAME, unsubscribe_url=https or mailto, email=to, list_name="the sample list")
    template = MessageTemplate(
        subject=prepared.subject, html=prepared.html, text=prepared.text, sender=sender, clock=ctx.clock,
        list_id=headers.list_id(sender.team_name, "e-bulletin", sender.list_id_domain),
    )
    return template.render(to, html_values, text_values, headers.list_unsubscribe(mailto, https))


def render_to_folder(ctx: AppContext, slug: str, folder: Path, *, restricted: bool = False) -> RenderedFiles:
    """issue.html (inlined, sample values), issue.txt, archive.html, sample.eml and sessions/*.ics."""
    prepared = prepare_issue(ctx, slug, restricted=restricted)
    html_values, text_values = personal_values(
        prepared, name=SAMPLE_NAME, unsubscribe_url=f"mailto:{ctx.settings.sender.from_address}?subject=unsubscribe",
        email=SAMPLE_ADDRESS, list_name="the sample list")
    outputs = {
        "issue.html": substitute(prepared.html, html_values).encode(),
        "issue.txt": substitute(prepared.text, text_values).encode(),
        "archive.html": prepared.archive_html.encode(),
        "sample.eml": sample_message(ctx, prepared),
    }
    organizer = Organizer(email=ctx.settings.sender.from_address, name=ctx.settings.sender.team_name)
    for session in prepared.view.sessions:
        stored = ctx.store.sessions.get(session.slug)
        if stored is not None:
            outputs[f"sessions/{session.slug}.ics"] = publish_calendar(stored, organizer, stamp=ctx.clock.now())
    written = []
    for name, data in outputs.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise DomainError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return RenderedFiles(folder=folder, files=written, html_bytes=prepared.html_bytes)
