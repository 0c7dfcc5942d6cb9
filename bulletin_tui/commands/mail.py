"""`bulletin-tui mail login | logout | check | store-secret`: Microsoft 365 sign-in and a check of the set-up."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from ..config import Settings
from ..services.mailauth.cache import cache_path, forget_tokens
from ..services.mailauth.secret_store import store_client_secret
from ..services.mailauth.wiring import token_provider
from ..services.mailcheck import check as mail_check
from ..services.mailcheck.setup_check import check_setup
from .common import CliState, fail, print_json, state

app = typer.Typer(no_args_is_help=True)


def _settings(ctx: typer.Context) -> Settings:
    cli: CliState = state(ctx)
    return cli.settings


@app.command("login")
def login(ctx: typer.Context) -> None:
    """Sign in to Microsoft 365 with a device code ([oauth] mode = "delegated"); tokens are then refreshed silently."""
    settings = _settings(ctx)
    provider = token_provider(settings)
    device = provider.start_device_login()
    minutes = max(1, (device.seconds_left() + 59) // 60)
    typer.echo(f"To sign in, open {device.verification_uri} and enter the code {device.user_code} "
               f"(within {minutes} minutes).")
    try:
        username = provider.finish_device_login(device)
    except KeyboardInterrupt:
        device.cancel()
        fail("sign-in cancelled", 5)
    typer.echo(f"Signed in as {username or 'the account'}; tokens are kept in {cache_path(settings.data_dir)} (0600).")


@app.command("logout")
def logout(ctx: typer.Context) -> None:
    """Forget the cached Microsoft 365 tokens of this data folder."""
    removed = forget_tokens(_settings(ctx).data_dir)
    if removed is not None:
        typer.echo(f"Signed out: removed {removed}")
    else:
        typer.echo("No tokens were cached; nothing to forget.")


@app.command("store-secret")
def store_secret(ctx: typer.Context) -> None:
    """Keep the app's client secret in the OS keyring (asked for without echo), instead of the environment."""
    settings = _settings(ctx)
    secret = getpass.getpass("Client secret (not shown): ").strip()
    if not secret:
        fail("no secret given; nothing stored")
    backend = store_client_secret(settings.oauth, secret)  # read back: a keyring that keeps nothing is refused
    typer.echo(f"Stored the client secret for {settings.oauth.client_id} in the OS keyring ({backend}).")


@app.command("check")
def check(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")
                                                 ] = False,
          deliverability: Annotated[bool, typer.Option(
              "--deliverability", help="Send one test bulletin to the team mailbox, read it back over IMAP, report "
              "SPF, DKIM, DMARC, one-click unsubscribe, size and plain text, then delete it.")] = False,
          wait: Annotated[float, typer.Option("--wait", min=1, help="With --deliverability: seconds to wait for "
                                              "the test message to arrive.")] = 120.0) -> None:
    """Check every step to the mailbox (SMTP: resolve, token, connect, STARTTLS, sign in; IMAP: also select the
    inbox) without sending anything; the token is asked of Microsoft afresh, not taken from the cache. With [teams]
    organiser set, also Microsoft Graph: each permission Teams meetings and attendance need, one line per problem.
    Shows the settings a send uses (after [smtp] provider). Exit 0 when every step works, 1 otherwise."""
    if deliverability:
        from .mail_deliverability import run_deliverability

        run_deliverability(state(ctx), as_json=as_json, wait_s=wait)
    settings = _settings(ctx)
    report = check_setup(settings)
    if as_json:
        print_json({**report.as_json(), "settings": mail_check.effective_settings(settings)})
    else:
        for warning in report.warnings:
            typer.echo(f"! {warning}", err=True)
        typer.echo(f"· {mail_check.effective_line(settings)}")
        for step in report.steps:
            typer.echo(step.line())
        failure = report.first_failure
        if failure is not None:
            typer.echo(f"Fix: {failure.fix}")
    raise typer.Exit(0 if report.ok else 1)
