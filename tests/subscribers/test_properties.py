"""Property tests: address normalisation, and the rule that an import never re-subscribes anyone."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.domain.subscribers import MembershipStatus
from bulletin_tui.domain.text import normalise_email
from bulletin_tui.services.context import open_context
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.people import unsubscribe
from bulletin_tui.services.subscribers.suppression import is_suppressed, suppress

from ..conftest import FIXED_NOW

local_parts = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", min_size=1,
                      max_size=20).filter(lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s)
addresses = st.builds(lambda local, domain: f"{local}@{domain}.example.org", local_parts,
                      st.sampled_from(["kent", "Swale", "MEDWAY", "dover"]))
spacing = st.sampled_from(["", " ", "  ", "\t"])


@given(addresses, spacing, spacing, st.sampled_from([str.upper, str.lower, str.title, str]))
def test_normalisation_ignores_case_and_surrounding_space(address: str, left: str, right: str, case) -> None:  # type: ignore[no-untyped-def]
    key = normalise_email(address)
    assert normalise_email(f"{left}{case(address)}{right}") == key
    assert normalise_email(key) == key  # idempotent


@given(st.text(max_size=30))
def test_normalisation_is_idempotent_for_any_text(value: str) -> None:
    once = normalise_email(value)
    assert normalise_email(once) == once


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(addresses, min_size=1, max_size=8, unique_by=normalise_email), data=st.data())
def test_import_never_resubscribes_the_unsubscribed_or_suppressed(tmp_path: Path, people, data) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    with open_context(Settings(data_dir=folder / "data"), create=True, clock=FixedClock(FIXED_NOW)) as ctx:
        first = folder / "first.csv"
        first.write_text("Email\n" + "\n".join(people) + "\n")
        import_file(ctx, first)
        left = data.draw(st.lists(st.sampled_from(people), unique=True))
        blocked = data.draw(st.lists(st.sampled_from(people), unique=True))
        for address in left:
            unsubscribe(ctx, address)
        for address in blocked:
            suppress(ctx, address, "hard bounce")
        variants = [data.draw(st.sampled_from([a.upper(), a.lower(), f" {a} "])) for a in people]
        again = folder / "again.csv"
        again.write_text("Email,Name\n" + "\n".join(f"{v},New Name" for v in variants) + "\n")
        import_file(ctx, again)
        for address in left:
            person = ctx.store.subscribers.get(normalise_email(address))
            assert person is not None and person.lists["e-bulletin"].status is MembershipStatus.UNSUBSCRIBED
            assert person.name == ""
        for address in blocked:
            assert is_suppressed(ctx, address)
            person = ctx.store.subscribers.get(normalise_email(address))
            assert person is not None and person.name == ""
