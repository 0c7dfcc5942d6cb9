"""Who a bulletin campaign goes to: one or several lists, each person once, never twice for the same issue.

A campaign to several lists is the union of their subscribers, keyed by the canonical address. A person on any
list cleared for restricted items gets the restricted variant; everyone else the general one. People who already
received the issue from an earlier campaign (any list) are left out unless the operator includes them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ...domain.errors import DomainError
from ...domain.subscribers import DistributionList, MembershipStatus
from ...domain.text import normalise_email
from ...locations import ledger_dir
from ...sending.ledger import State, fold, read_records
from ...sending.mailing import SkipCheck
from ...sending.progress import Recipient
from ..context import AppContext
from ..subscribers.lists import resolve_list
from ..subscribers.pending import journal_unsubscribed
from ..subscribers.people import row_is_subscribed
from ..subscribers.suppression import suppression_check
from ..subscribers.tokens import token_maker

RECEIVED = {State.SENT, State.ATTEMPTING, State.UNCERTAIN}
"""Ledger states that mean the person got (or may have got) the message: never sent it again by another list."""
SUBSCRIBED = MembershipStatus.SUBSCRIBED.value


def choose_lists(ctx: AppContext, names: str | Sequence[str] | None) -> list[DistributionList]:
    """The lists named by slug or name (each once, in the order given), or the only list there is."""
    wanted = [names] if isinstance(names, str) else list(names or [])
    if not wanted:
        lists = ctx.store.lists.all()
        if len(lists) != 1:
            known = ", ".join(sorted(d.slug for d in lists)) or "none yet"
            raise DomainError(f"say which list to send to with --list ({known})")
        return lists
    chosen: list[DistributionList] = []
    for name in wanted:
        found = resolve_list(ctx, name)
        if found.slug not in {d.slug for d in chosen}:
            chosen.append(found)
    return chosen


@dataclass(frozen=True)
class Membership:
    """How one person is reached by a campaign: the variant and the list their unsubscribe link is for."""

    restricted: bool
    home: DistributionList


def membership(lists: Sequence[DistributionList], subscribed: Iterable[str]) -> Membership | None:
    """None when the person is on none of the lists; a cleared list is home for the restricted variant."""
    subscribed_to = set(subscribed)
    on = [d for d in lists if d.slug in subscribed_to]
    if not on:
        return None
    cleared = [d for d in on if d.cleared_for_restricted]
    return Membership(bool(cleared), (cleared or on)[0])


def subscribed_slugs(row: dict[str, Any] | None) -> list[str]:
    """The lists a stored row is subscribed to. Strict on purpose (as `row_is_subscribed`): a damaged row raises
    instead of quietly leaving the person out of a send, and the CLI then names the record."""
    if row is None:
        return []
    memberships = row["lists"]
    if not isinstance(memberships, dict):
        raise TypeError(f"lists is a {type(memberships).__name__}, not an object")
    return [slug for slug in memberships if row_is_subscribed(row, slug)]


def already_received(ctx: AppContext, issue_slug: str, *, except_campaign: str = "") -> set[str]:
    """Canonical addresses that earlier campaigns of this issue sent to (or may have sent to)."""
    found: set[str] = set()
    for path in bulletin_ledgers(ctx, issue_slug):
        if path.stem == except_campaign:
            continue
        states, _ = fold(read_records(path))
        found |= {normalise_email(p.key) for p in states.values() if p.state in RECEIVED and not p.erased}
    return found


def bulletin_ledgers(ctx: AppContext, issue_slug: str) -> list[Path]:
    """The ledger files of every campaign that sent this issue (by the campaign record, not the file name)."""
    paths = []
    for path in sorted(ledger_dir(ctx.data_dir).glob("bulletin-*.jsonl")):
        first = _first_record(path)
        if first.get("event") == "campaign" and first.get("issue") == issue_slug:
            paths.append(path)
    return paths


def _first_record(path: Path) -> dict[str, object]:
    """The campaign record a ledger starts with (read without loading the whole file)."""
    try:
        with path.open("rb") as handle:
            line = handle.readline()
        record = orjson.loads(line) if line.strip() else {}
    except (OSError, orjson.JSONDecodeError):
        return {}
    return record if isinstance(record, dict) else {}


def audience_snapshot(ctx: AppContext, lists: str | Sequence[DistributionList], *,
                      leave_out: Collection[str] = ()) -> list[Recipient]:
    """Everyone subscribed to any of the lists, once each (canonical address), minus suppressed and `leave_out`.

    Read from the stored rows: 10,000 validated Subscriber models cost ~21 MB for the two fields a send needs."""
    slugs = {lists} if isinstance(lists, str) else {d.slug for d in lists}
    is_suppressed = suppression_check(ctx)
    chosen: dict[str, Recipient] = {}
    for row in ctx.store.subscribers.rows():
        if not slugs & set(subscribed_slugs(row)):
            continue
        person = Recipient(row["email"], row.get("name", ""))
        key = normalise_email(person.email)
        if key in leave_out or key in chosen or is_suppressed(person.email):
            continue
        chosen[key] = person
    return sorted(chosen.values(), key=lambda r: r.key)


def still_wanted(ctx: AppContext, lists: str | Sequence[DistributionList]) -> SkipCheck:
    """Right before each send: a reason to skip (erased, unsubscribed from every list, suppressed) or None."""
    slugs = {lists} if isinstance(lists, str) else {d.slug for d in lists}
    people, is_suppressed = ctx.store.subscribers, suppression_check(ctx)
    token_for, journalled = {slug: token_maker(ctx, slug) for slug in slugs}, journal_unsubscribed(ctx)

    def reason(recipient: Recipient) -> str | None:
        row = people.row(recipient.key)
        if row is None:
            return "no longer held (erased or removed)"
        on = slugs & set(subscribed_slugs(row))
        if not on:
            return "unsubscribed since the campaign started"
        if all(journalled(token_for[slug](recipient.email)) for slug in on):
            return "unsubscribed on the web since the campaign started"
        if is_suppressed(recipient.email):
            return "suppressed"
        return None

    return reason


def campaign_audience(ctx: AppContext, issue_slug: str, lists: Sequence[DistributionList], *,
                      include_already_sent: bool = False, campaign_id: str = "") -> tuple[list[Recipient], int]:
    """(who a new campaign of this issue to these lists would send to, how many were left out as already sent)."""
    everyone = audience_snapshot(ctx, lists)
    if include_already_sent:
        return everyone, 0
    received = already_received(ctx, issue_slug, except_campaign=campaign_id)
    chosen = [person for person in everyone if person.key not in received]
    return chosen, len(everyone) - len(chosen)
