"""Output of who is who for `subscribers import` and `subscribers edit`: organisation types and lawful basis."""

from __future__ import annotations

from ..domain.organisation import OrganisationType
from ..domain.subscribers import Subscriber
from ..services.subscribers.imports import ImportPreview, TypeTally
from ..services.subscribers.who import WhoChange


def type_counts_json(preview: ImportPreview) -> dict[str, dict[str, int]]:
    """`{"individual": {"total": 2, "guessed": 2, "unknown_domain": 0}, ...}` for new and updated people."""
    return {kind.value: tally._asdict() for kind, tally in preview.type_counts().items()}


def type_counts_line(preview: ImportPreview) -> str:
    """One line: the organisation types of the new and updated people, and how many of each were guessed."""
    parts = [_tally_text(kind, tally) for kind, tally in preview.type_counts().items() if tally.total]
    if not parts:
        return "Organisation types: nobody new or updated"
    return ("Organisation types (file column, else guessed from the address; correct with `bulletin-tui "
            "subscribers edit EMAIL --org-type ...`): " + "; ".join(parts))


def _tally_text(kind: OrganisationType, tally: TypeTally) -> str:
    if not tally.guessed:
        return f"{tally.total} {kind.label}"
    unknown = f", {tally.unknown_domain} from a domain not known" if tally.unknown_domain else ""
    return f"{tally.total} {kind.label} ({tally.guessed} guessed{unknown})"


def who_line(change: WhoChange) -> str:
    kind, guessed = change.person.type_and_guessed
    line = f"{change.person.email}: {kind.label}{' (guessed from the address)' if guessed else ''}"
    if change.basis_lists:
        basis = change.person.basis_for(change.basis_lists[0])
        line += f"; lawful basis {basis.value if basis else 'none'} recorded for {', '.join(change.basis_lists)}"
    return line


def who_json(person: Subscriber) -> dict[str, object]:
    kind, guessed = person.type_and_guessed
    basis = person.lawful_basis
    return {"organisation_type": kind.value, "organisation_type_guessed": guessed,
            "lawful_basis": basis.value if basis else None}
