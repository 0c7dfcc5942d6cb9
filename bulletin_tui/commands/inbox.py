"""`bulletin-tui inbox ...`: the return path from the team mailbox (cron-friendly)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import fail, print_json, state
from .inbox_drafts import register as register_draft_commands

app = typer.Typer(no_args_is_help=True)
register_draft_commands(app)  # show, accept: partners' e-mails as draft bulletin items
NEEDS_REVIEW = 6
"""Exit code of `inbox fetch` when messages wait for a person (0 when none do)."""


@app.command("fetch")
def fetch(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One object per message.")] = False,
) -> None:
    """Read the mailbox once: apply bounces, complaints, calendar replies and unsubscribes; file every message.
    Exit 0 when nothing waits for review, 6 when something does."""
    from ..services.inbox.fetch_once import fetch_mailbox

    report = fetch_mailbox(state(ctx).context(read_only=dry_run), dry_run=dry_run)
    if as_json:
        print_json([{"key": h.key, "kind": h.kind, "state": h.state.value, "sender": h.sender,
                     "subject": h.subject, "note": h.note, "actions": h.actions, "again": h.again}
                    for h in report.handled])
    else:
        verb = "Would handle" if dry_run else "Handled"
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts().items())) or "nothing new"
        typer.echo(f"{verb} {len(report.handled)} message(s) in {report.folder}: {counts}")
        for h in report.handled:
            if h.actions or h.state.value == "review":
                typer.echo(f"  {h.state.value:8} {h.kind:20} {h.sender or '-'}: {h.note or ', '.join(h.actions)}")
        if report.waiting_review:
            typer.echo(f"{report.waiting_review} message(s) wait for review: bulletin-tui inbox review")
    raise typer.Exit(NEEDS_REVIEW if report.waiting_review else 0)


@app.command("review")
def review(ctx: typer.Context,
           as_json: Annotated[bool, typer.Option("--json", help="A list of objects.")] = False) -> None:
    """Messages waiting for a person, numbered (oldest first)."""
    from ..services.inbox.review import review_queue

    queue = review_queue(state(ctx).context(read_only=True))
    if as_json:
        print_json([m.model_dump(mode="json") for m in queue])
        return
    if not queue:
        typer.echo("Nothing waits for review.")
    for number, message in enumerate(queue, start=1):
        hint = f" -> session {message.suggestion}" if message.suggestion else ""
        if message.kind == "contribution":
            hint = f" -> draft item (inbox show {number}; inbox accept {number})"
        elif message.kind == "cancellation request" and message.suggestion:
            hint = f" -> cancel their place in {message.suggestion} (inbox cancel {number})"
        typer.echo(f"{number:3}. {message.received_at:%d %b %H:%M} {message.sender or '-'}: {message.subject}{hint}")
        typer.echo(f"     {message.kind}; {message.note}")


@app.command("register")
def register_sender(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Number in `inbox review`, or the Message-ID.")],
    session: Annotated[str | None, typer.Option("--session", help="Session slug (default: the suggested one).")]
    = None,
    name: Annotated[str, typer.Option("--name", help="The person's name.")] = "",
    occurrence: Annotated[str | None, typer.Option("--occurrence", help="Which date of a session on several "
                                                   "(default: the one the subject names).")] = None,
) -> None:
    """Register the sender of a reviewed message (consent: a registration request by email)."""
    from ..services.inbox.review import register_sender as register

    action = register(state(ctx).context(), ref, session, name, occurrence)
    typer.echo(f"{action.id}: {action.detail}")


@app.command("cancel")
def cancel_sender(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Number in `inbox review`, or the Message-ID.")],
    session: Annotated[str | None, typer.Option("--session", help="Session slug (default: the suggested one).")]
    = None,
) -> None:
    """Give up the sender's place as their e-mail asks ("Cancel: ...", "I can no longer attend"); undoable."""
    from ..services.inbox.review import cancel_sender as cancel

    action = cancel(state(ctx).context(), ref, session)
    typer.echo(f"{action.id}: {action.detail}")


@app.command("dismiss")
def dismiss(ctx: typer.Context,
            ref: Annotated[str, typer.Argument(help="Number in `inbox review`, or the Message-ID.")]) -> None:
    """Nothing to do for this message."""
    from ..services.inbox.review import dismiss as dismiss_message

    message = dismiss_message(state(ctx).context(), ref)
    typer.echo(f"Dismissed {message.key}")


@app.command("log")
def log(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="A list of objects.")] = False,
        limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 50) -> None:
    """Every change the inbox made (newest first), with the id `inbox undo` takes."""
    from ..services.inbox.undo import action_log

    entries = action_log(state(ctx).context(read_only=True))[:limit]
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    for entry in entries:
        flag = " (undone)" if entry.undone_at else "" if entry.undoable else " (not undoable)"
        typer.echo(f"{entry.id} {entry.at:%d %b %H:%M} {entry.action:14} {entry.person or '-'}: {entry.detail}{flag}")


@app.command("undo")
def undo(ctx: typer.Context, action_id: Annotated[str, typer.Argument(help="The id from `inbox log`.")]) -> None:
    """Reverse one change the inbox made (an unsubscribe cannot be undone: only the person can rejoin)."""
    from ..domain.errors import DomainError
    from ..services.inbox.undo import undo as undo_change

    try:
        done = undo_change(state(ctx).context(), action_id)
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"{action_id.upper()}: {done}")
