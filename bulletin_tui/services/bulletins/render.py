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
from ...sending.unsubscribe import SAMPLE_TOKEN, unsubscribe_links
from ...storage.outputs import check_output_folder, make_folder, write_output
from ..context import AppContext
from .prepare import prepare_issue

SAMPLE_NAME = "Sample Reader"
SAMPLE_ADDRESS = "sample.reader@example.invalid"


@dataclass(frozen=True)
class RenderedFiles:
    folder: Path
    files: list[Path]
    html_bytes: int


def sample_values(ctx: AppContext, prepared: PreparedIssue, to: str = SAMPLE_ADDRESS) -> tuple[
        dict[str, str], dict[str, str]]:
    """(HTML values, text values) of the sample reader: what previews and sample files are personalised with."""
    link = unsubscribe_links(ctx.settings.sender, SAMPLE_TOKEN)
    return personal_values(prepared, name=SAMPLE_NAME, unsubscribe_url=link.body_url, email=to,
                           list_name="the sample list")


def sample_message(ctx: AppContext, prepared: PreparedIssue, to: str = SAMPLE_ADDRESS) -> bytes:
    """One complete message as a sample recipient would receive it (links built as a real send builds them)."""
    sender = ctx.settings.sender
    html_values, text_values = sample_values(ctx, prepared, to)
    template = MessageTemplate(
        subject=prepared.subject, html=prepared.html, text=prepared.text, sender=sender, clock=ctx.clock,
        list_id=headers.list_id(sender.team_name, "e-bulletin", sender.identity_domain),
    )
    link = unsubscribe_links(sender, SAMPLE_TOKEN)
    return template.render(to, html_values, text_values, {**headers.BULK_HEADERS, **link.headers})


def render_to_folder(ctx: AppContext, slug: str, folder: Path, *, restricted: bool = False) -> RenderedFiles:
    """issue.html (inlined, sample values), issue.txt, archive.html, sample.eml and sessions/*.ics.

    The folder must not be the data folder or inside it; each file is written atomically."""
    check_output_folder(folder, ctx.data_dir)
    prepared = prepare_issue(ctx, slug, restricted=restricted)
    html_values, text_values = sample_values(ctx, prepared)
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
            make_folder(path.parent, ctx.data_dir)
            write_output(path, data, ctx.data_dir)
        except OSError as exc:
            raise DomainError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return RenderedFiles(folder=folder, files=written, html_bytes=prepared.html_bytes)
