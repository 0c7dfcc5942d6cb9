"""What undoing an import may not take back: withdrawn consent. And how to say what changed after an import."""

from __future__ import annotations

from ...domain.subscribers import ConsentAction, ConsentRecord, ImportRecord, Membership, MembershipStatus, Subscriber
from ...domain.times import LONDON


def _by_import(entry: ConsentRecord, record: ImportRecord) -> bool:
    return entry.source == "import" and record.id in entry.reference


def withdrawals(person: Subscriber) -> list[ConsentRecord]:
    return [entry for entry in person.consent if entry.action is ConsentAction.WITHDRAWN]


def with_withdrawals_kept(restored: Subscriber, current: Subscriber) -> tuple[Subscriber, bool]:
    """The record to restore, plus every withdrawal `current` holds that it lacks (membership unsubscribed).

    Withdrawal evidence is append-only: undo never re-subscribes anyone who withdrew, whoever recorded it."""
    missing = [entry for entry in withdrawals(current) if entry not in restored.consent]
    if not missing:
        return restored, False
    lists = dict(restored.lists)
    for entry in missing:
        known = lists.get(entry.list_slug)
        lists[entry.list_slug] = Membership(status=MembershipStatus.UNSUBSCRIBED, changed_at=entry.at,
                                            token_version=known.token_version if known else 0)
    consent = sorted([*restored.consent, *missing], key=lambda entry: entry.at)
    return restored.model_copy(update={"lists": lists, "consent": consent, "updated_at": current.updated_at}), True


def changes_since(person: Subscriber, record: ImportRecord) -> str:
    """`unsubscribed from e-bulletin (12 Nov 2026 14:05)`-style list of what happened to a record after the import."""
    before = record.before.get(person.key, {}).get("consent", [])
    later = [entry for entry in person.consent[len(before):] if not _by_import(entry, record)]
    parts = [f"{'unsubscribed from' if entry.action is ConsentAction.WITHDRAWN else 'subscribed to'} "
             f"{entry.list_slug} ({_when(entry)})" for entry in later]
    if person.updated_at > max([record.at, *(entry.at for entry in later)]) or not parts:
        parts.append(f"details edited ({person.updated_at.astimezone(LONDON):%d %b %Y %H:%M})")
    return f"{person.email}: {', '.join(parts)}"


def _when(entry: ConsentRecord) -> str:
    return f"{entry.at.astimezone(LONDON):%d %b %Y %H:%M}"
