"""`bulletin-tui partners ...`: the known partner organisations whose e-mails become draft bulletin items."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import print_json, state

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option
Many = list[str] | None


@app.command("list")
def list_(ctx: typer.Context, as_json: Annotated[bool, Opt("--json", help="A list of objects.")] = False) -> None:
    """Known partner organisations with their e-mail domains and addresses."""
    from ..services.partners.registry import list_partners

    partners = list_partners(state(ctx).context(read_only=True))
    if as_json:
        print_json([p.model_dump(mode="json") | {"title": p.name, "status": "known"} for p in partners])
        return
    if not partners:
        typer.echo('No partners yet. Add one with: bulletin-tui partners add "Kent Police" --domain kent.police.uk')
    for p in partners:
        senders = ", ".join([*p.domains, *p.addresses]) or "no domain or address yet"
        typer.echo(f"{p.slug:<40} {p.name} ({p.type or 'no type'}): {senders}")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    type_: Annotated[str, Opt("--type", help="responsible authority, charity, board…")] = "",
    domain: Annotated[Many, Opt("--domain", help="E-mail domain (sub-domains count too); repeatable.")] = None,
    address: Annotated[Many, Opt("--address", help="An individual address; repeatable.")] = None,
    note: Annotated[str, Opt("--note")] = "",
) -> None:
    """Add a partner organisation."""
    from ..services.partners.registry import add_partner

    partner = add_partner(state(ctx).context(), name, type_, domain or [], address or [], note)
    typer.echo(f"Added partner {partner.slug}: {partner.name}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Slug or name.")],
    name: Annotated[str | None, Opt("--name")] = None,
    type_: Annotated[str | None, Opt("--type")] = None,
    note: Annotated[str | None, Opt("--note")] = None,
    add_domain: Annotated[Many, Opt("--add-domain", help="Repeatable.")] = None,
    remove_domain: Annotated[Many, Opt("--remove-domain", help="Repeatable.")] = None,
    add_address: Annotated[Many, Opt("--add-address", help="Repeatable.")] = None,
    remove_address: Annotated[Many, Opt("--remove-address", help="Repeatable.")] = None,
) -> None:
    """Change a partner's name, type or note; add or remove e-mail domains and addresses."""
    from ..services.partners.registry import edit_partner

    partner = edit_partner(
        state(ctx).context(),
        ref,
        name=name,
        type_=type_,
        note=note,
        add_domains=add_domain or [],
        remove_domains=remove_domain or [],
        add_addresses=add_address or [],
        remove_addresses=remove_address or [],
    )
    typer.echo(f"Updated partner {partner.slug}: {', '.join([*partner.domains, *partner.addresses]) or 'no senders'}")


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Slug or name.")],
    yes: Annotated[bool, Opt("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Forget a partner (its e-mails are no longer drafted; items made earlier keep its name)."""
    from ..services.partners.registry import find_partner, remove_partner

    app_ctx = state(ctx).context()
    partner = find_partner(app_ctx, ref)
    if not yes:
        typer.confirm(f"Remove partner {partner.name}?", abort=True)
    remove_partner(app_ctx, partner.slug)
    typer.echo(f"Removed partner {partner.slug}")


@app.command("match")
def match(ctx: typer.Context, address: str) -> None:
    """Which partner an address speaks for (exit 1 when none)."""
    from ..services.partners.registry import partner_for

    partner = partner_for(state(ctx).context(read_only=True), address)
    if partner is None:
        typer.echo(f"{address.strip()}: not a known partner")
        raise typer.Exit(1)
    typer.echo(f"{address.strip()}: {partner.name} ({partner.slug})")
