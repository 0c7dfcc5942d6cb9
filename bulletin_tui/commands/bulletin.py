"""`bulletin-tui bulletin ...`: assemble, check and render issues."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services.bulletins import assembly
from ..services.bulletins import issues as bulletins
from .common import check_output, echo_finding, echo_note, fail, print_json, state

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option
PROMOTIONAL_HELP = "Promotional (paid training, a sponsor): sent to individuals only with their consent (PECR)."


@app.command("list")
def list_(ctx: typer.Context, as_json: Annotated[bool, Opt("--json")] = False) -> None:
    """List bulletin issues."""
    issues = bulletins.list_issues(state(ctx).context(read_only=True))
    if as_json:
        print_json([
            {"slug": i.slug, "title": i.title, "status": i.status.value, "items": len(i.item_ids),
             "ready_at": i.ready_at.isoformat() if i.ready_at else None,
             "sent_at": i.sent_at.isoformat() if i.sent_at else None}
            for i in issues
        ])
        return
    if not issues:
        typer.echo("No issues yet. Start one with: bulletin-tui bulletin new 2024-06")
    for i in issues:
        typer.echo(f"{i.slug:<12} {i.status.value:<6} {len(i.item_ids):>3} items  {i.title}")


@app.command("new")
def new(ctx: typer.Context, slug: str, title: Annotated[str | None, Opt("--title")] = None,
        intro: Annotated[str, Opt("--intro", help="Introduction (Markdown).")] = "",
        add_campaigns: Annotated[bool, Opt("--add-campaigns", help="Add an item for each awareness campaign "
                                           "of the month.")] = False,
        campaign: Annotated[list[str] | None, Opt("--campaign", help="Add an item for this campaign of the "
                                                  "month (name or short name); repeat for several.")] = None) -> None:
    """Start a new issue (slug like 2024-06, or any slug for an extra issue)."""
    from .bulletin_campaigns import create_with_campaigns

    create_with_campaigns(state(ctx).context(), slug, title, intro, None if add_campaigns else campaign or [])


@app.command("edit")
def edit(ctx: typer.Context, issue: str, title: Annotated[str | None, Opt("--title")] = None,
         intro: Annotated[str | None, Opt("--intro", help="Introduction (Markdown).")] = None) -> None:
    """Change an unsent issue's title or introduction."""
    updated = bulletins.update_issue(state(ctx).context(), issue, title=title, intro=intro)
    typer.echo(f"Updated issue {updated.slug}: {updated.title}")


@app.command("show")
def show(ctx: typer.Context, issue: str, as_json: Annotated[bool, Opt("--json")] = False) -> None:
    """Show an issue's items in order."""
    app_ctx = state(ctx).context(read_only=True)
    items = assembly.issue_items(app_ctx, issue)
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    for number, item in enumerate(items, start=1):
        flags = " [restricted]" if item.restricted else ""
        flags += " [promotional]" if item.promotional else ""
        flags += f" [closes {item.closing_date:%d/%m/%Y}]" if item.closing_date else ""
        typer.echo(f"{number:>3}. {item.id:<30} {item.category.value:<15} {item.title}{flags}")


@app.command("add-item")
def add_item(
    ctx: typer.Context,
    issue: Annotated[str | None, typer.Argument(help="Issue slug, or '-' for the backlog.")] = None,
    title: Annotated[str | None, Opt("--title")] = None, category: Annotated[str | None, Opt("--category")] = None,
    summary: Annotated[str, Opt("--summary", help="Markdown; raw HTML is not rendered.")] = "",
    link: Annotated[str | None, Opt("--link")] = None,
    link_text: Annotated[str, Opt("--link-text")] = "",
    source: Annotated[str, Opt("--source", help="Contributing organisation.")] = "",
    restricted: Annotated[bool, Opt("--restricted")] = False,
    promotional: Annotated[bool, Opt("--promotional", help=PROMOTIONAL_HELP)] = False,
    closes: Annotated[str | None, Opt("--closes", help="Closing date (YYYY-MM-DD or DD/MM/YYYY).")] = None,
    topic: Annotated[list[str] | None, Opt("--topic", help="A topic tag; repeat for several.")] = None,
    from_eml: Annotated[Path | None, Opt("--from-eml", help="Make the item from an e-mail saved as a file.")] = None,
    issue_opt: Annotated[str | None, Opt("--issue", help="With --from-eml: the issue (default: the backlog).")]
    = None,
    to_next: Annotated[bool, Opt("--next", help="With --from-eml: the next draft issue.")] = False,
    keep: Annotated[bool, Opt("--keep-attachments", help="With --from-eml: keep its attachments privately.")]
    = False,
) -> None:
    """Add an item to an issue (or to the backlog with ISSUE '-'), or make one from an e-mail (--from-eml)."""
    if from_eml is not None:
        from .bulletin_eml import add_from_eml

        add_from_eml(ctx, from_eml, issue_opt or (None if issue in (None, "-") else issue), to_next, category, keep)
        return
    if issue is None or title is None or category is None:
        fail("add-item needs ISSUE (or '-'), --title and --category, or --from-eml FILE")
    item = assembly.add_item(
        state(ctx).context(), None if issue == "-" else issue, title=title, category=category, summary=summary,
        link=link, link_text=link_text, source_organisation=source, restricted=restricted, closing_date=closes,
        topics=_topics(topic), promotional=promotional)
    typer.echo(f"Added item {item.id} to {'the backlog' if issue == '-' else issue}")


@app.command("edit-item")
def edit_item(
    ctx: typer.Context, item_id: str, title: Annotated[str | None, Opt("--title")] = None,
    category: Annotated[str | None, Opt("--category")] = None, summary: Annotated[str | None, Opt("--summary")] = None,
    link: Annotated[str | None, Opt("--link", help="'' clears it.")] = None,
    link_text: Annotated[str | None, Opt("--link-text")] = None,
    source: Annotated[str | None, Opt("--source")] = None,
    restricted: Annotated[bool | None, Opt("--restricted/--unrestricted")] = None,
    promotional: Annotated[bool | None, Opt("--promotional/--not-promotional", help=PROMOTIONAL_HELP)] = None,
    closes: Annotated[str | None, Opt("--closes", help="'' clears it.")] = None,
    topic: Annotated[list[str] | None, Opt("--topic", help="Repeat for several; replaces the topics ('' clears).")]
    = None,
) -> None:
    """Change fields of an item."""
    item = assembly.edit_item(
        state(ctx).context(), item_id, title=title, category=category, summary=summary, link=link,
        link_text=link_text, source_organisation=source, restricted=restricted, closing_date=closes,
        topics=_topics(topic), promotional=promotional)
    typer.echo(f"Updated item {item.id}")


def _topics(values: list[str] | None) -> list[str] | None:
    """Repeated --topic values; a single '' clears the list; None leaves it alone."""
    return None if values is None else [v.strip() for v in values if v.strip()]


@app.command("remove-item")
def remove_item(
    ctx: typer.Context, issue: str, item_id: str,
    delete: Annotated[bool, Opt("--delete", help="Delete the item rather than return it to the backlog.")] = False,
) -> None:
    """Take an item out of an issue."""
    assembly.remove_item(state(ctx).context(), issue, item_id, delete=delete)
    typer.echo(f"{'Deleted' if delete else 'Moved to the backlog:'} {item_id}")


@app.command("move-item")
def move_item(ctx: typer.Context, issue: str, item_id: str, position: int) -> None:
    """Move an item to a position (1 = first) in the issue."""
    updated = assembly.move_item(state(ctx).context(), issue, item_id, position)
    typer.echo(f"{item_id} is now number {updated.item_ids.index(item_id) + 1} of {len(updated.item_ids)}")


@app.command("backlog")
def backlog(ctx: typer.Context, as_json: Annotated[bool, Opt("--json")] = False) -> None:
    """Contributed items not yet in an issue."""
    items = assembly.backlog(state(ctx).context(read_only=True))
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    for item in items:
        typer.echo(f"{item.id:<30} {item.category.value:<15} {item.title}")


@app.command("assign")
def assign(ctx: typer.Context, issue: str, item_id: str,
           position: Annotated[int | None, Opt("--position")] = None) -> None:
    """Put a backlog item into an issue."""
    assembly.assign_item(state(ctx).context(), issue, item_id, position)
    typer.echo(f"Added {item_id} to {issue}")


@app.command("check")
def check(ctx: typer.Context, issue: str, list_slug: Annotated[list[str] | None, Opt(
        "--list", help="List slug or name (repeatable); default: every list.")] = None) -> None:
    """Pre-send checks: one line per finding; exit 1 if any fails."""
    from ..services.bulletins.command_checks import issue_findings

    findings = issue_findings(state(ctx).context(read_only=True), issue, list_slug)
    for finding in findings:
        echo_finding(finding.line())
    errors = bulletins.blocking(findings)
    echo_note(f"{len(errors)} failing, {len(findings) - len(errors)} warning(s)" if findings else "All checks passed")
    if errors:
        raise typer.Exit(1)


@app.command("ready")
def ready(ctx: typer.Context, issue: str, force: Annotated[bool, Opt("--force")] = False) -> None:
    """Mark an issue ready to send (its checks must pass unless --force)."""
    bulletins.mark_ready(state(ctx).context(), issue, force=force)
    typer.echo(f"Issue {issue} is ready to send")


@app.command("reopen")
def reopen(ctx: typer.Context, issue: str) -> None:
    """Put a ready issue back to draft."""
    bulletins.reopen(state(ctx).context(), issue)
    typer.echo(f"Issue {issue} is a draft again")


@app.command("render")
def render(ctx: typer.Context, issue: str, out: Annotated[Path, Opt("--out")],
           restricted: Annotated[bool, Opt("--restricted", help="The variant for cleared lists.")] = False) -> None:
    """Write issue.html (inlined), issue.txt, archive.html, sample.eml and sessions/*.ics to a folder."""
    check_output(ctx, out, folder=True)
    from ..services.bulletins import render as assembly_render  # rendering and MIME: imported when used

    result = assembly_render.render_to_folder(state(ctx).context(read_only=True), issue, out, restricted=restricted)
    for path in result.files:
        typer.echo(str(path))
    echo_note(f"HTML size: {result.html_bytes / 1024:.1f} KB (Gmail clips messages over 102 KB)")


@app.command("publish")
def publish(ctx: typer.Context, out: Annotated[Path, Opt("--out", help="Folder of the static site.")]) -> None:
    """Write the archive as a static site: index.html, one page per sent issue, sessions.ics (no join links)."""
    from ..services.bulletins import publish as archive

    site = archive.publish_site(state(ctx).context(read_only=True), out)
    typer.echo(f"Published {site.issues} issue(s) and {site.sessions} upcoming session(s) to {site.folder}")
    typer.echo(f"Upload the folder to the address in sender.archive_url; the index is {site.folder / 'index.html'}")


@app.command("add-campaigns")
def add_campaigns_to_issue(
    ctx: typer.Context, issue: str,
    campaign: Annotated[list[str] | None, Opt("--campaign", help="Only this campaign (repeat for several).")] = None,
) -> None:
    """Add an item for each awareness campaign of the issue's month (or those named)."""
    from .bulletin_campaigns import add_to_issue

    add_to_issue(state(ctx).context(), issue, campaign)
