"""`mail check --deliverability`: run the check and print one verdict line per check (or JSON); exit 1 on a
problem. The check itself lives in `services/mailcheck/deliverability.py`."""

from __future__ import annotations

import asyncio

import typer

from ..domain.errors import DomainError
from .common import CliState, echo_finding, fail, print_json


def run_deliverability(cli: CliState, *, as_json: bool, wait_s: float) -> None:
    """Send one test bulletin to the team mailbox, read it back, report; refused in one line (nothing sent)."""
    from ..services.mailcheck.deliverability import check_deliverability, refuse_unless_ready

    try:
        refuse_unless_ready(cli.settings)  # before the data folder is opened: the outbox is refused at once
        report = asyncio.run(check_deliverability(cli.context(read_only=True), wait_s=wait_s))
    except DomainError as exc:
        fail(str(exc))
    if as_json:
        print_json(report.as_json())
    else:
        for line in report.lines():
            echo_finding(line)
    raise typer.Exit(0 if report.ok else 1)
