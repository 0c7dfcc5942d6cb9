"""What the `sessions` command modules share: option types, London times with --fold, and delivering the mail a
change queued (printed one line per message)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer

from ..domain.times import AmbiguousTimeError
from ..invites.message import InviteKind
from ..services.context import AppContext
from ..services.mailings.session_delivery import Delivered, deliver_pending
from ..services.sessions.catalogue import parse_times
from ..services.sessions.mail import pending_mail


class Fold(StrEnum):
    """Which of the two 01:xx hours on the last Sunday of October."""

    FIRST = "first"
    SECOND = "second"
    BST = "bst"
    GMT = "gmt"


FOLD_HELP = "For a time that happens twice when the clocks go back: first (BST) or second (GMT)."
FoldOption = Annotated[Fold | None, typer.Option("--fold", help=FOLD_HELP)]
SEND_HELP = "Deliver the queued invites/updates now (outbox, or SMTP when configured); --no-send only queues."
Send = Annotated[bool, typer.Option("--send/--no-send", help=SEND_HELP)]
Listing = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]
REPLACE_HELP = "Repeat for several; replaces the list ('' alone clears it)."
SPLIT_HELP = "Hybrid: {} places, counted apart from the other way of attending"
InPersonPlaces = Annotated[int | None, typer.Option("--capacity-in-person", help=SPLIT_HELP.format("in-person"))]
OnlinePlaces = Annotated[int | None, typer.Option("--capacity-online", help=SPLIT_HELP.format("online"))]


def listing(values: list[str] | None) -> list[str] | None:
    """A repeated option as a list; a single empty value clears it."""
    return None if values is None else [v for v in values if v.strip()]


def fold_number(choice: Fold | None) -> int | None:
    """--fold as the `fold` of a London time: 0 for the first (BST) hour, 1 for the second (GMT)."""
    return None if choice is None else (0 if choice in (Fold.FIRST, Fold.BST) else 1)


@contextmanager
def fold_hint() -> Iterator[None]:
    """A time the clocks go back over is refused with a pointer to --fold."""
    try:
        yield
    except AmbiguousTimeError as exc:
        raise AmbiguousTimeError(f"{exc}: add --fold first or --fold second") from None


def times(start: str, end: str, fold: Fold | None) -> tuple[datetime, datetime]:
    """Parse London times, pointing at --fold when the clocks go back over them."""
    with fold_hint():
        return parse_times(start, end, fold=fold_number(fold))


def deliver(context: AppContext, slug: str | None, send: bool, kinds: frozenset[InviteKind] | None = None) -> None:
    """Send what a change queued (--send), or say how many wait (--no-send)."""
    if not send:
        waiting = len(pending_mail(context, slug, kinds))
        if waiting:
            typer.echo(f"{waiting} message(s) queued; send them with: bulletin-tui sessions send-invites")
        return
    report_delivery(deliver_pending(context, slug, kinds=kinds))


def report_delivery(results: list[Delivered]) -> None:
    """One line per message; exit 4 (like `send`) when delivery paused, naming the cause once."""
    for result in results:
        reply = "" if result.paused else result.reply
        typer.echo(f"  {result.kind.value:<15} {result.to:<40} {result.outcome.value}"
                   + (f" ({reply})" if reply and result.outcome.value != "sent" else ""))
    paused = next((r for r in results if r.paused), None)
    if paused is not None:
        typer.echo(f"Paused: {paused.reply}. The rest stay queued: fix the cause, then run "
                   "bulletin-tui sessions send-invites again", err=True)
        raise typer.Exit(4)
