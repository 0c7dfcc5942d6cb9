"""A whole public site for the browser tests: the demo's lists and people, a session on one date, one on several
dates and a hybrid one, and a sent issue published as the archive `serve --archive` shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.services.bulletins.publish import publish_site
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.demo.loader import load_demo
from bulletin_tui.services.demo.schedule import draft_issue_slug
from bulletin_tui.services.sessions import catalogue, occurrences
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.tokens import unsubscribe_token

from ..conftest import FIXED_NOW

READERS = [f"walker{n}@example.org" for n in range(4)]
SINGLE, SEVERAL, HYBRID = "csis-2027-01", "asb-cpd-2027", "pve-2027"


@dataclass
class Site:
    data_dir: Path
    archive: Path
    issue: str
    tokens: dict[str, str]
    """Reader address -> an unsubscribe token for the e-bulletin list."""


def _sessions(ctx: AppContext) -> None:
    start, end = catalogue.parse_times("2027-01-14 12:30", "13:30")
    catalogue.create_session(ctx, slug=SINGLE, title="CSIS: Serious Violence Duty", start=start, end=end,
                             capacity=20, description="What the duty asks of partners, and what is working in Kent.")
    start, end = catalogue.parse_times("2027-02-04 09:30", "16:00")
    catalogue.create_session(ctx, slug=SEVERAL, title="ASB Tools & Powers CPD", start=start, end=end,
                             capacity=16, venue="To be confirmed (district/borough partner)")
    for day in ("2027-02-18", "2027-03-04"):
        start, end = catalogue.parse_times(f"{day} 09:30", "16:00")
        occurrences.add_occurrence(ctx, SEVERAL, start=start, end=end)
    start, end = catalogue.parse_times("2027-02-26 09:30", "13:00")
    catalogue.create_session(ctx, slug=HYBRID, title="Preventing Hateful Extremism", start=start, end=end,
                             format=SessionFormat.HYBRID, venue="Oakwood House", capacity_in_person=80,
                             capacity_online=200)


def build_site(root: Path) -> Site:
    """The data folder and the published archive under `root` (the context closed: `serve` may start)."""
    settings = Settings(data_dir=root / "data")
    ctx = open_context(settings, create=True, clock=FixedClock(FIXED_NOW))
    try:
        ctx.operator = "test-operator"
        load_demo(ctx, subscriber_count=20)
        for address in READERS:
            add_subscriber(ctx, address, name=address.split("@")[0].title(), list_name="e-bulletin", source="test")
        _sessions(ctx)
        slug = draft_issue_slug(FIXED_NOW)
        issue = ctx.store.issues.get(slug)
        assert issue is not None
        ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT, "sent_at": FIXED_NOW}))
        publish_site(ctx, root / "archive")
        tokens = {address: unsubscribe_token(ctx, address, "e-bulletin") for address in READERS}
    finally:
        ctx.close()
    return Site(settings.data_dir, root / "archive", slug, tokens)
