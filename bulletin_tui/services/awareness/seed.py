"""The campaigns of the source papers (docs/awareness-calendar.md; the team's source papers B04, B06, B18), added once.

Only the papers' facts are given as facts: the months, the 2021 dates and the one link they name. Where the usual
week is a guess from past years, the note says so. No link is invented: the papers give none but Know Your Score's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain.awareness import AwarenessCampaign, DateSpan
from ...domain.awareness_rules import parse_rule
from ..context import AppContext, one_write
from .campaigns import campaigns_table

CHECK = "Check the organiser's dates each year and record them with: calendar dates."
SEED: list[dict[str, Any]] = [
    {
        "slug": "hate-crime-awareness-week",
        "name": "Hate Crime Awareness Week",
        "short_names": ["Hate Crime Awareness", "NHCAW"],
        "rule": "second Saturday of October for 8 days",
        "topics": ["Preventing Extremism and Hate"],
        "note": f"The papers say October only; Saturday to Saturday in mid-October is a guess from past years. {CHECK}",
    },
    {
        "slug": "safeguarding-adults-awareness-week",
        "name": "Safeguarding Adults Awareness Week",
        "short_names": ["Safeguarding Adults Week", "SAAW"],
        "rule": "third Monday of November for 7 days",
        "dates": [(date(2021, 11, 15), date(2021, 11, 21))],
        "topics": ["Safeguarding Vulnerable People"],
        "note": "Led by the Ann Craft Trust; in 2021 15-21 November, planned with the Kent and Medway Safeguarding "
        f"Adults Board. The rule matches 2021; later years are a guess. {CHECK}",
    },
    {
        "slug": "alcohol-awareness-week",
        "name": "Alcohol Awareness Week",
        "short_names": ["Alcohol Awareness", "Know Your Score"],
        "rule": "third Monday of November for 7 days",
        "dates": [(date(2021, 11, 15), date(2021, 11, 22))],
        "link": "https://www.kent.gov.uk/knowyourscore",
        "topics": ["Substance Misuse"],
        "note": "The papers place it in November: Kent's 'Know Your Score' campaign ran 15-22 November 2021 (the "
        f"link is that campaign's page). The national week has not always been in November. {CHECK}",
    },
    {
        "slug": "16-days-of-action",
        "name": "16 Days of Action against domestic abuse",
        "short_names": ["16 Days of Action", "16 Days"],
        "rule": "25 Nov to 10 Dec",
        "topics": ["Domestic Abuse", "Violence Against Women and Girls (VAWG)"],
        "note": "25 November (International Day for the Elimination of Violence against Women) to 10 December. "
        "In 2021 Kent's 'Know, See, Speak Out' social media campaign ran across the 16 days; further "
        "information on the Kent & Medway Domestic Abuse Services website.",
    },
    {
        "slug": "dry-january",
        "name": "Dry January",
        "short_names": [],
        "rule": "January",
        "topics": ["Substance Misuse"],
        "note": "In 2022 a four-week Kent campaign from 1 January followed Alcohol Awareness Week, promoting the "
        "'Know Your Score' quiz and signposting to One You Kent.",
    },
]


@dataclass(frozen=True)
class SeedReport:
    added: list[str]
    kept: list[str]

    def summary(self) -> str:
        kept = f"; {len(self.kept)} already there were left as they are" if self.kept else ""
        return f"Added {len(self.added)} awareness campaign(s){kept}."


@one_write
def seed_campaigns(ctx: AppContext) -> SeedReport:
    """Add the papers' campaigns that are not in the calendar yet, in one write (by slug: an edited or renamed
    one stays as the team left it; a removed one comes back)."""
    table = campaigns_table(ctx)
    new = [_campaign(raw) for raw in SEED if raw["slug"] not in table]
    table.put_many(new)
    return SeedReport(
        [c.name for c in new], [str(raw["name"]) for raw in SEED if raw["slug"] not in {c.slug for c in new}]
    )


def _campaign(raw: dict[str, Any]) -> AwarenessCampaign:
    spans = [DateSpan(start=start, end=end) for start, end in raw.get("dates", [])]
    fields = {key: value for key, value in raw.items() if key not in ("rule", "dates")}
    return AwarenessCampaign.model_validate(fields | {"rule": parse_rule(str(raw["rule"])), "dates": spans})
