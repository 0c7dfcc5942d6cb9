"""Before people who left long ago are removed, each year's subscriber counts they were part of are kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from ...domain.subscribers import Subscriber, subscribed_at
from ...domain.times import LONDON, financial_year, financial_year_of, london_midnight
from ..context import AppContext
from .kept import KeptYear, kept_years


def _first_moment(person: Subscriber) -> datetime:
    return min([person.created_at, *(record.at for record in person.consent),
                *(m.changed_at for m in person.lists.values())])


def _labels(since: datetime, now: datetime) -> list[str]:
    """Every April-March year from the one holding `since` to the one holding `now`."""
    labels, label = [], financial_year_of(since.astimezone(LONDON).date())
    last = financial_year_of(now.astimezone(LONDON).date())
    while label <= last:
        labels.append(label)
        label = financial_year_of(financial_year(label)[1] + timedelta(days=1))
    return labels


def keep_counted(ctx: AppContext, people: Iterable[Subscriber], now: datetime) -> int:
    """Add these people (about to be removed) to the kept subscriber counts of every year they counted in, exactly
    as the report counts them (`subscribed_at` at the year's first and last instant); the years changed."""
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for person in people:
        for label in _labels(_first_moment(person), now):
            first, last = financial_year(label)
            starts[label] += subscribed_at(person, london_midnight(first))
            ends[label] += subscribed_at(person, min(london_midnight(last + timedelta(days=1)), now))
    table = kept_years(ctx)
    changed = []
    for label in sorted(set(starts) | set(ends)):
        if not starts[label] and not ends[label]:
            continue
        kept = table.get(label) or KeptYear(label=label)
        changed.append(kept.model_copy(update={"start": kept.start + starts[label], "end": kept.end + ends[label]}))
    table.put_many(changed)
    return len(changed)
