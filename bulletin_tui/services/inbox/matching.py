"""Finding what a returned message is about: our original message in the ledgers, a session by UID or by words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...domain.sessions import InfoSession
from ...domain.text import normalise_email
from ...locations import ledger_dir
from ...sending.ledger import read_records
from ..context import AppContext

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "and", "for", "on", "of", "a", "an", "to", "in", "csis", "session", "community", "safety",
         "information", "sessions", "please", "register", "me", "could", "you", "with", "by"}


@dataclass(frozen=True)
class SentCopy:
    """Where one of our messages went: its ledger and recipient."""

    ledger: Path
    key: str
    email: str
    at: str = ""
    """When the ledger says it was sent (ISO 8601)."""

    @property
    def campaign(self) -> str:
        return self.ledger.stem


def sent_index(ctx: AppContext) -> dict[str, SentCopy]:
    """Message-ID -> the ledger record that sent it, over every campaign and session-mail ledger."""
    index: dict[str, SentCopy] = {}
    root = ledger_dir(ctx.data_dir)
    for path in sorted(root.rglob("*.jsonl")) if root.exists() else []:
        try:
            for record in read_records(path):
                message_id = record.get("message_id")
                if message_id and record.get("key"):
                    index[message_id] = SentCopy(path, record["key"], record.get("email", ""),
                                                 str(record.get("at", "")))
        except (OSError, ValueError):
            continue
    return index


def campaigns_by_person(sent: dict[str, SentCopy]) -> dict[str, list[str]]:
    """Each person's campaigns (ledger names), in the order they were first sent to them."""
    first: dict[tuple[str, str], str] = {}
    for copy in sent.values():
        pair = (copy.key, copy.campaign)
        first[pair] = min(first.get(pair, copy.at), copy.at)
    ordered: dict[str, list[str]] = {}
    for (key, campaign), _at in sorted(first.items(), key=lambda item: item[1]):
        ordered.setdefault(key, []).append(campaign)
    return ordered


def delivered_between(campaigns: list[str], earlier: str, later: str) -> bool:
    """Was the person sent another campaign after `earlier` and before `later` (one that did not bounce, or the
    score would name it)? False when either is not among their campaigns."""
    if earlier not in campaigns or later not in campaigns:
        return False
    return campaigns.index(later) - campaigns.index(earlier) > 1


def safe_key(address: str) -> str:
    """The canonical form, or '' for something that is not an address."""
    try:
        return normalise_email(address)
    except (ValueError, TypeError):
        return ""


def session_by_uid(ctx: AppContext, uid: str) -> InfoSession | None:
    """The session whose calendar UID, or one of whose dates' UIDs, this is; as that date (`InfoSession.at`)."""
    for session in ctx.store.sessions:
        date = next((o for o in session.dates() if o.uid == uid), None)
        if date is not None:
            return session.at(date)
    return None


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _date_forms(session: InfoSession) -> list[str]:
    from ...domain.times import LONDON

    start = session.start.astimezone(LONDON)
    day, month = start.day, start.strftime("%B").lower()
    return [f"{day} {month}", f"{day}th {month}", f"{day}st {month}", f"{day}nd {month}", f"{day}rd {month}",
            f"{month} {day}", f"{day:02d}/{start.month:02d}", f"{day}/{start.month}"]


def best_session(ctx: AppContext, text: str, now: datetime) -> InfoSession | None:
    """The upcoming session a free-text request is most likely about (slug, title words, date), if any fits."""
    lowered = " ".join(text.lower().split())
    words = _words(lowered)
    best: tuple[float, InfoSession] | None = None
    for session in ctx.store.sessions:
        if session.cancelled or session.start <= now:
            continue
        score = 3.0 if session.slug in lowered else 0.0
        title = _words(session.title)
        score += 2.0 * len(title & words) / max(len(title), 1)
        score += 1.5 if any(form in lowered for form in _date_forms(session)) else 0.0
        if score >= 1.0 and (best is None or score > best[0]):
            best = (score, session)
    return best[1] if best else None


def mentions_registering(text: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in ("register", "book me", "booking", "a place", "sign me up", "attend"))


_CANCEL_SUBJECT = re.compile(r"^\s*((re|fw|fwd|aw)\s*:\s*)*(cancel(led)?|declined|withdraw(n)?)\b", re.I)
_CANCEL_WORDS = re.compile(
    r"\b(cancel (my|the|our) (place|registration|booking|attendance)|can(no|'|’)?t (attend|make it|come)|"
    r"can no longer (attend|make it|come|join)|(won(')?t|will not) be able to (attend|make it|come|join)|"
    r"unable to (attend|make it|come|join)|give my place to|withdraw (my|from)|please (cancel|remove me from the "
    r"session))",
    re.I,
)


def mentions_cancelling(subject: str, text: str) -> bool:
    """A person giving up a place: "Cancel: <title>, <date>" (as the invite tells them to write), "Declined:
    <title>" without a calendar part, or words such as "I can no longer attend"."""
    return bool(_CANCEL_SUBJECT.match(subject) or _CANCEL_WORDS.search(f"{subject}\n{text}"))


def held_session(ctx: AppContext, address: str, text: str, now: datetime) -> InfoSession | None:
    """The upcoming session `address` holds a place (or waits) for that a free-text message is about: the one the
    words name best, else the only one they hold."""
    key = safe_key(address)
    if not key:
        return None
    from ..sessions.registrations import registration_id

    held = [s for s in ctx.store.sessions if not s.cancelled and s.end > now
            and (found := ctx.store.registrations.get(registration_id(s.slug, key))) is not None and found.active]
    named = best_session(ctx, text, now)
    if named is not None and named.slug in {s.slug for s in held}:
        return named
    return held[0] if len(held) == 1 else None
