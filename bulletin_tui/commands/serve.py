"""`bulletin-tui serve`: the public web face (uvicorn), beside the terminal app."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from ..domain.text import is_loopback
from .common import fail, state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8080,
    base_url: Annotated[str, typer.Option("--base-url", help="Public https address (behind the reverse proxy).")]
    = "",
    forwarded_allow_ips: Annotated[str, typer.Option(
        "--forwarded-allow-ips", help="Proxy addresses trusted for X-Forwarded-For/-Proto.")] = "127.0.0.1",
    per_ip_per_minute: Annotated[int, typer.Option(
        "--per-ip-per-minute", help="Requests one client address may make per minute.")] = 6000,
    archive: Annotated[Path | None, typer.Option("--archive", help="Folder written by `bulletin publish`, "
                                                                   "served at /bulletins/.")] = None,
    read_timeout: Annotated[float, typer.Option(
        "--read-timeout", min=0.5, help="Seconds a request's head, and then its body, may take to arrive.")] = 10.0,
) -> None:
    """Serve one-click unsubscribe, preferences, sign-up and session registration (double opt-in)."""
    import uvicorn

    from ..web.app import make_web_app
    from ..web.archive import archive_refusal
    from ..web.limits import Window
    from ..web.protocol import more_open_files, with_head_timeout

    if not is_loopback(host) and not base_url.startswith("https://"):
        fail("serve: listening beyond this machine needs --base-url https://… (the address behind the proxy)")
    settings = state(ctx).settings
    if archive is not None:
        refusal = f"--archive {archive} is not a folder" if not archive.is_dir() else archive_refusal(
            archive, settings.data_dir)
        if refusal:
            fail(f"serve: {refusal}")
    if not (settings.data_dir / "bulletin.json").exists():
        fail(f"serve: no database in {settings.data_dir} (bulletin-tui --data-dir DIR demo, or --create)")
    url = base_url or f"http://{host}:{port}"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    typer.echo(f"Serving {url} from {settings.data_dir} (ctrl+c stops)", err=True)
    app = make_web_app(settings, base_url=url, archive_dir=archive, config_file=_config_file(ctx),
                       body_timeout=read_timeout)
    app.state.web.limits.per_ip = Window(per_ip_per_minute, 60.0)
    more_open_files()
    uvicorn.run(app, host=host, port=port, access_log=False, http=with_head_timeout(read_timeout),
                proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, log_level="warning")


def _config_file(ctx: typer.Context) -> Path | None:
    """The `--config FILE` the root command was given (absolute), for the applier process to read the same."""
    given = ctx.find_root().params.get("config")
    return Path(given).expanduser().absolute() if given else None


def web_apply(ctx: typer.Context) -> None:
    """Apply what the web face journalled and send the confirmation e-mails queued (run by `serve` when no one
    holds the writer lock); exit 1 with the reason when confirmations could not all be sent (retried later)."""
    import asyncio

    from ..services.mailings.confirmations import send_queued

    context = state(ctx).context()  # opening for writing applies pending requests first
    result = asyncio.run(send_queued(context))
    if result is not None and result.status.value != "complete":
        fail(f"confirmation e-mails not all sent ({result.status.value}: {result.reason})")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("web-apply", hidden=True)(web_apply)
