"""Demo data: bulletin items and sessions from the KCSP papers' facts, plus clearly fake subscribers.

Nothing here invents a URL, a time or a speaker and presents it as fact: where the papers are silent, links are left
empty and session times are marked as placeholders in the session's description.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from ...config import NO_SENDER_DOMAIN
from ...domain.bulletins import BulletinIssue, BulletinItem, Category, Classification, IssueStatus
from ...domain.sessions import InfoSession, SessionFormat, SessionKind
from ...domain.subscribers import (
    ConsentAction,
    ConsentRecord,
    DistributionList,
    Membership,
    MembershipStatus,
    Subscriber,
)
from ...domain.times import london_time
from ..awareness.seed import seed_campaigns
from ..context import AppContext
from .schedule import ONLINE_SESSIONS, THURSDAY, draft_issue_slug, draft_issue_title, weekday_after
from .training import asb_cpd

PLACEHOLDER = "Placeholder time for the demo: the source papers do not give a time."
DEMO_LISTS = [
    ("e-bulletin", "E-bulletin", "Monthly community safety e-bulletin", False),
    ("csis-invitations", "CSIS invitations", "Community Safety Information Session invitations", False),
    ("dhr-webinars", "DHR webinars", "Domestic Homicide Review learning webinars", False),
    ("partnership-restricted", "Partnership (restricted)", "Cleared for restricted items", True),
]
JOINED_DAYS_AGO = (0, 5, 10, 15, 20, 28, 35, 45, 50, 65, 80, 95, 125, 155, 185, 215, 245, 275, 305, 335)
"""How long ago the demo's people joined, in turn (plus up to six days): a year of joiners, more of them lately."""
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Morgan", "Jamie", "Taylor", "Charlie", "Priya", "Ola",
         "Aisha", "Tomasz", "Siobhan", "Dev", "Nia", "Ewan", "Zofia", "Kwame"]
LAST = ["Example", "Sample", "Testperson", "Demo", "Placeholder", "Fictional", "Madeup", "Specimen"]
DOMAINS = ["example.org", "example.com", "example.net", "district.example.org", "police.example.org",
           "fire.example.org", "nhs.example.org", "charity.example.org"]
AREAS = ["Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham", "Maidstone",
         "Medway", "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"]
ROLES = ["Community Safety Officer", "Community Safety Manager", "ASB Officer", "PCSO", "Community Warden",
         "Licensing Officer", "Housing Officer", "Prevent Officer", "Public Health Specialist"]
CATEGORY_OF = {"legislative change": Category.LEGISLATION, "awareness event": Category.CAMPAIGN,
               "publication": Category.PUBLICATION, "data release": Category.DATA,
               "funding opportunity": Category.FUNDING, "training": Category.TRAINING,
               "change to services": Category.SERVICE_CHANGE, "campaign": Category.CAMPAIGN}
KIND_OF = {"CSIS": SessionKind.CSIS, "DHR learning webinar": SessionKind.DHR_WEBINAR, "training": SessionKind.TRAINING,
           "conference": SessionKind.CONFERENCE, "workshop": SessionKind.WORKSHOP, "CPD event": SessionKind.CPD}


@dataclass
class DemoReport:
    lists: int = 0
    items: int = 0
    issues: int = 0
    sessions: int = 0
    subscribers: int = 0
    awareness_campaigns: int = 0
    partners: int = 0

    def summary(self) -> str:
        added = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in vars(self).items())
        return f"Demo data added: {added} (existing records were left as they are)."


def load_facts() -> dict[str, Any]:
    text = resources.files("bulletin_tui.demo_data").joinpath("kcst-facts.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def load_demo(ctx: AppContext, subscriber_count: int = 240) -> DemoReport:
    """Add the demo records that are not there yet, in one write. Running it twice adds nothing."""
    facts, now, report = load_facts(), ctx.clock.now(), DemoReport()
    store = ctx.store
    with store.transaction():
        lists = [DistributionList(slug=s, name=n, description=d, cleared_for_restricted=r, public=not r,
                                  created_at=now) for s, n, d, r in DEMO_LISTS]
        report.lists = len(store.lists.put_many([x for x in lists if x.slug not in store.lists]))
        items = [_item(raw, now) for raw in facts["bulletin_items"]]
        report.items = len(store.items.put_many([i for i in items if i.id not in store.items]))
        issues = _issues(items, now)
        report.issues = len(store.issues.put_many([i for i in issues if i.slug not in store.issues]))
        sessions = _sessions(facts["sessions"], ctx, now)
        report.sessions = len(store.sessions.put_many([s for s in sessions if s.slug not in store.sessions]))
        people = _subscribers(subscriber_count, now)
        report.subscribers = len(store.subscribers.put_many([p for p in people if p.key not in store.subscribers]))
        report.awareness_campaigns = len(seed_campaigns(ctx).added)
        report.partners = _add_partners(ctx, facts, now)
    return report


def _add_partners(ctx: AppContext, facts: dict[str, Any], now: datetime) -> int:
    from ..partners.registry import partners_table
    from .partners import demo_partners

    table = partners_table(ctx)
    return len(table.put_many([p for p in demo_partners(facts["partner_organisations"], now) if p.slug not in table]))


def _item(raw: dict[str, Any], now: datetime) -> BulletinItem:
    summary = raw.get("summary") or (
        "Named in the bulletin; the source papers give no description (demo placeholder)."
    )
    link = raw.get("url")
    link = None if link in (None, "unknown") else (link if "://" in link else f"https://{link}")
    closes = date(2024, 7, 4) if raw["id"] == "B12" else None
    return BulletinItem(
        id=f"demo-{raw['id'].lower()}", title=raw["title"], summary=summary,
        category=CATEGORY_OF.get(raw.get("category") or "", Category.NEWS),
        link=link, link_text=f"Read more about {raw['title']}" if link else "",
        source_organisation=raw.get("source_organisation") or "", topics=raw.get("topic_tags") or [],
        classification=Classification.UNRESTRICTED, closing_date=closes,
        contributed_by="Demo data (KCSP papers)", created_at=now,
    )


def _issues(items: list[BulletinItem], now: datetime) -> list[BulletinIssue]:
    by_id = {i.id: i for i in items}
    october = [f"demo-b0{n}" for n in (1, 2, 3, 4)]
    current = [i for i in ("demo-b17", "demo-b18", "demo-b07", "demo-b08", "demo-b12", "demo-b14") if i in by_id]
    return [
        BulletinIssue(slug="2021-10", title="Community Safety e-Bulletin, 29 October 2021",
                      intro="Items named in the bulletin of Friday 29 October 2021.", item_ids=october,
                      status=IssueStatus.SENT, created_at=now, sent_at=datetime(2021, 10, 29, 9, 0).astimezone()),
        BulletinIssue(slug=draft_issue_slug(now), title=draft_issue_title(now),
                      intro="Welcome to this month's bulletin (demo issue built from published facts).",
                      item_ids=current, created_at=now),
    ]


def demo_uid(ctx: AppContext, slug: str) -> str:
    """Demo sessions are named in a reserved domain (`.invalid`), never the configured sender's."""
    return f"{slug}-{uuid.uuid4().hex[:12]}@demo.{NO_SENDER_DOMAIN}"


def _sessions(raws: list[dict[str, Any]], ctx: AppContext, now: datetime) -> list[InfoSession]:
    new_uid = demo_uid
    out = []
    for raw in raws:
        day = _exact_date(raw["date"])
        if day is None:
            continue
        slug = f"{raw['id'].lower()}-{day:%Y-%m-%d}"
        listed = {key: _listed(raws, raw, key) for key in ("topics", "speakers_organisations")}
        out.append(_session(ctx, slug, raw["title"], raw.get("kind"), raw.get("format"), day, raw | listed, new_uid))
    for weeks, title, kind in ONLINE_SESSIONS:
        day = weekday_after(now, weeks, THURSDAY)
        slug = f"demo-{day:%Y-%m-%d}"
        out.append(_session(ctx, slug, title, kind, "online", day, {"topics": []}, new_uid, capacity=60))
    training = asb_cpd(ctx, raws, now, new_uid)  # a training on four dates (docs/occurrences.md)
    return out if training is None else [*out, training]


def _listed(raws: list[dict[str, Any]], raw: dict[str, Any], key: str) -> list[str]:
    """A list field, following "see S02" to the session it names (the 2021 series shares one topic list)."""
    value = raw.get(key)
    if key == "topics" and value is None:
        value = raw.get("topics_series_2021")
    if isinstance(value, str) and value.startswith("see "):
        named = next((r for r in raws if r.get("id") == value[4:].strip()), None)
        return _listed(raws, named, key) if named is not None and named is not raw else []
    return [str(v) for v in value] if isinstance(value, list) else []


def _session(ctx: AppContext, slug: str, title: str, kind: str | None, fmt: str | None, day: date,
             raw: dict[str, Any], new_uid: Any, capacity: int | None = None) -> InfoSession:
    topics = raw.get("topics") or []
    fmt_text = (fmt or "").lower()
    the_format = (SessionFormat.HYBRID if "hybrid" in fmt_text else
                  SessionFormat.IN_PERSON if "in person" in fmt_text else SessionFormat.ONLINE)
    speakers = raw.get("speakers_organisations") or []
    return InfoSession(
        slug=slug, title=title, kind=KIND_OF.get(kind or "", SessionKind.OTHER), format=the_format,
        start=london_time(datetime(day.year, day.month, day.day, 12, 30)),
        end=london_time(datetime(day.year, day.month, day.day, 13, 30)),
        description=PLACEHOLDER, venue=raw.get("venue") or "", topics=list(topics),
        speakers=list(speakers)[:8], capacity=capacity, uid=new_uid(ctx, slug), created_at=ctx.clock.now(),
    )


def _exact_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _subscribers(count: int, now: datetime) -> list[Subscriber]:
    rng = random.Random(20241)
    people = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}{n}@{rng.choice(DOMAINS)}"
        chosen = ["e-bulletin"] + [s for s, *_ in DEMO_LISTS[1:] if rng.random() < 0.35]
        joined = now - timedelta(days=JOINED_DAYS_AGO[n % len(JOINED_DAYS_AGO)] + n % 7)
        consent = [ConsentRecord(at=joined, action=ConsentAction.GRANTED, list_slug=s, source="demo data",
                                 reference="generated demo subscriber") for s in chosen]
        people.append(Subscriber(
            email=email, name=f"{first} {last}", organisation=f"{rng.choice(AREAS)} Council (demo)",
            role=rng.choice(ROLES), area=rng.choice(AREAS),
            lists={s: Membership(status=MembershipStatus.SUBSCRIBED, changed_at=joined) for s in chosen},
            consent=consent, created_at=joined, updated_at=joined,
        ))
    return people
