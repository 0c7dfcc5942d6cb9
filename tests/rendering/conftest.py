"""A small, fixed issue for the rendering tests: every item kind, a restricted item, closing dates, sessions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bulletin_tui.domain.sessions import InfoSession, SessionFormat, SessionKind
from bulletin_tui.domain.subscribers import DistributionList
from bulletin_tui.domain.times import london_time
from bulletin_tui.services.bulletins import assembly
from bulletin_tui.services.bulletins import issues as bulletins
from bulletin_tui.services.context import AppContext

ISSUE = "2026-12"


def _session(ctx: AppContext, slug: str, title: str, start: datetime, end: datetime, **extra: object) -> InfoSession:
    return InfoSession(slug=slug, title=title, start=start, end=end, uid=f"{slug}@fixed.test",
                       created_at=ctx.clock.now(), **extra)


@pytest.fixture
def issue_ctx(ctx: AppContext) -> AppContext:
    """Issue 2026-12 with five items (one restricted, one past closing), three sessions, two lists."""
    bulletins.create_issue(ctx, ISSUE, "Community Safety e-Bulletin, December 2026",
                           intro="Welcome to the December bulletin. See the [KCSP pages](https://www.kent.gov.uk/kcsp).")
    add = assembly.add_item
    add(ctx, ISSUE, title="Domestic Abuse Act guidance", category="legislative change",
        summary="Statutory guidance has been **updated**.\n\n- Part 4 duties\n- Accommodation support",
        link="https://www.gov.uk/government/publications/domestic-abuse-act-2021", source_organisation="Home Office")
    add(ctx, ISSUE, title="Crime Reduction Grant 2026/27", category="funding",
        summary="Bids of up to £5,000 for projects that reduce ASB.", link="https://www.kent-pcc.gov.uk/funding",
        link_text="Apply for the Crime Reduction Grant", closing_date="15/01/2027")
    add(ctx, ISSUE, title="Safer Streets round 4", category="funding", summary="This round has now closed.",
        link="https://www.gov.uk/safer-streets", closing_date=date(2026, 11, 1))
    add(ctx, ISSUE, title="DHR case update (Operation Example)", category="news",
        summary="Not for publication: case progress for partners only.", link="https://partners.example.org/dhr",
        restricted=True)
    add(ctx, ISSUE, title="16 Days of Action", category="campaign",
        summary="Join the campaign from 25 November to 10 December.", link="https://www.kent.gov.uk/16days")
    ctx.store.sessions.put_many([
        _session(ctx, "csis-dec", "CSIS: Victim Support Services", london_time(datetime(2026, 12, 10, 12, 30)),
                 london_time(datetime(2026, 12, 10, 13, 30)), kind=SessionKind.CSIS),
        _session(ctx, "dhr-webinar", "DHR learning webinar", london_time(datetime(2027, 1, 14, 10, 0)),
                 london_time(datetime(2027, 1, 14, 11, 30)), kind=SessionKind.DHR_WEBINAR,
                 format=SessionFormat.HYBRID, venue="Kroner House, Ashford"),
        _session(ctx, "far-future", "Too far ahead", london_time(datetime(2027, 6, 1, 10, 0)),
                 london_time(datetime(2027, 6, 1, 11, 0))),
    ])
    now = ctx.clock.now()
    ctx.store.lists.put_many([
        DistributionList(slug="e-bulletin", name="E-bulletin", created_at=now),
        DistributionList(slug="partners", name="Partners (restricted)", cleared_for_restricted=True, created_at=now),
    ])
    return ctx
