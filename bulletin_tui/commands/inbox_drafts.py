"""`bulletin-tui inbox show | accept`: the draft bulletin items offered by partners' e-mails."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import print_json, state

Opt = typer.Option
Ref = Annotated[str, typer.Argument(help="Number in `inbox review`, or the Message-ID.")]


def show(ctx: typer.Context, ref: Ref, as_json: Annotated[bool, Opt("--json", help="One object.")] = False) -> None:
    """Show a message waiting for review, with the draft item a partner's e-mail offers."""
    from ..services.inbox.drafts import describe, drafts_table
    from ..services.inbox.review import find_message

    app_ctx = state(ctx).context(read_only=True)
    message = find_message(app_ctx, ref)
    draft = drafts_table(app_ctx).get(message.key)
    if as_json:
        print_json(message.model_dump(mode="json") | {"draft": draft.model_dump(mode="json") if draft else None})
        return
    typer.echo(f"{message.received_at:%d %b %Y %H:%M} {message.sender or '-'}: {message.subject}")
    typer.echo(f"{message.kind}; {message.state.value}; {message.note}")
    for line in describe(draft) if draft else []:
        typer.echo(f"  {line}")


def accept(
    ctx: typer.Context,
    ref: Ref,
    issue: Annotated[str | None, Opt("--issue", help="Straight into this issue (default: the backlog).")] = None,
    to_next: Annotated[bool, Opt("--next", help="Straight into the next draft issue.")] = False,
    category: Annotated[str | None, Opt("--category", help="Instead of the guessed one.")] = None,
    keep: Annotated[
        bool,
        Opt(
            "--keep-attachments",
            help="Save its attachments privately under the data folder (read back from the mailbox).",
        ),
    ] = False,
) -> None:
    """Accept a partner's draft item into the backlog, the next issue (--next) or a named one (--issue)."""
    from ..services.inbox.accept_original import accept_from_mailbox

    done = accept_from_mailbox(state(ctx).context(), ref, issue=issue, to_next=to_next, category=category, keep=keep)
    where = f"issue {done.issue}" if done.issue else "the backlog"
    typer.echo(f"Added item {done.item.id} to {where}: {done.item.title}")
    for path in done.kept:
        typer.echo(f"  kept {path}")


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("accept")(accept)
