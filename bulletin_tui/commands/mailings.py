"""`bulletin-tui mailings ...`: each mailing (one send of an issue, a follow-up or session mail, with its ledger):
list them, show one's recipients, export its ledger, test the SMTP connection. Was `campaigns` (a hidden alias
for one release): "campaign" now means only an awareness campaign."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from ..services.mailings import runs as campaigns
from ..services.mailings import send
from .common import check_output, print_json, state

Opt = typer.Option
app = typer.Typer(no_args_is_help=True, help="Mailings (each send and its ledger): status, ledger export, SMTP test.")




@app.command("list")
def list_campaigns(ctx: typer.Context, as_json: Annotated[bool, Opt("--json")] = False) -> None:
    """Mailings with their counts, most recent first."""
    found = campaigns.list_campaigns(state(ctx).context(read_only=True))
    if as_json:
        print_json([{"slug": c.campaign_id, "title": c.meta.get("subject", ""), "status": c.last_event,
                     "counts": c.counts, "updated_at": c.updated_at} for c in found])
        return
    if not found:
        typer.echo("No mailings yet.")
    for c in found:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(c.counts.items()))
        typer.echo(f"{c.campaign_id:<40} {c.last_event:<16} {counts}")


@app.command("show")
def show(ctx: typer.Context, campaign_id: str, state_filter: Annotated[
        str | None, Opt("--state", help="Only recipients in this state (e.g. uncertain, failed).")] = None) -> None:
    """Each recipient's state and last server reply."""
    app_ctx = state(ctx).context(read_only=True)
    status = campaigns.campaign_status(app_ctx, campaign_id)
    typer.echo(f"{campaign_id}: {status.meta.get('subject', '')} ({status.total} recipients)")
    for person in campaigns.recipients(app_ctx, campaign_id):
        if state_filter in (None, person.state.value):
            bounced = f" (bounced after delivery: {person.bounced})" if person.bounced else ""
            typer.echo(f"{person.email or person.key:<45} {person.state.value:<10} {person.reply}{bounced}")


@app.command("export")
def export(ctx: typer.Context, campaign_id: str, out: Path) -> None:
    """Write the whole ledger of a mailing as CSV (who got what, when, and the server's reply)."""
    check_output(ctx, out)
    rows = campaigns.export_csv(state(ctx).context(read_only=True), campaign_id, out)
    typer.echo(f"Wrote {rows} ledger records to {out}")


@app.command("test-connection")
def connection_check(ctx: typer.Context) -> None:
    """Connect to the configured SMTP server (TLS, sign-in) without sending anything."""
    typer.echo(asyncio.run(send.check_smtp_connection(state(ctx).context(read_only=True))))
