"""Property: any sequence of registrations, withdrawals and capacity changes matches a simple reference model."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.invites.message import InviteKind
from bulletin_tui.services.context import open_context
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import mail_queue
from tests.conftest import FIXED_NOW

PEOPLE = [f"p{n}@example.org" for n in range(6)]
operation = st.one_of(
    st.tuples(st.just("register"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("cancel"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("capacity"), st.integers(min_value=1, max_value=5)),
)


class Reference:
    """The rules, written as plainly as possible: arrival order, one promotion per free place."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.active: list[list[str]] = []  # [email, status] in arrival order
        self.invites: dict[str, int] = {}

    def confirmed(self) -> int:
        return sum(1 for _, status in self.active if status == "confirmed")

    def _confirm(self, entry: list[str]) -> None:
        entry[1] = "confirmed"
        self.invites[entry[0]] = self.invites.get(entry[0], 0) + 1

    def promote(self) -> None:
        for entry in self.active:
            if entry[1] == "waitlisted" and self.confirmed() < self.capacity:
                self._confirm(entry)

    def register(self, email: str) -> None:
        if any(e == email for e, _ in self.active):
            return
        entry = [email, "waitlisted"]
        self.active.append(entry)
        if self.confirmed() < self.capacity:
            self._confirm(entry)

    def cancel(self, email: str) -> None:
        self.active = [entry for entry in self.active if entry[0] != email]
        self.promote()

    def set_capacity(self, capacity: int) -> None:
        self.capacity = capacity
        self.promote()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capacity=st.integers(min_value=1, max_value=4), operations=st.lists(operation, max_size=14))
def test_service_matches_reference(capacity: int, operations: list[tuple[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        ctx = open_context(Settings(data_dir=Path(temp) / "data"), create=True, clock=FixedClock(FIXED_NOW))
        with ctx:
            start, end = sessions.parse_times("2026-12-03 12:30", "13:30")
            sessions.create_session(ctx, slug="s", title="T", start=start, end=end, capacity=capacity)
            model = Reference(capacity)
            for name, value in operations:
                if name == "register":
                    registrations.register(ctx, "s", str(value))
                    model.register(str(value))
                elif name == "cancel":
                    if any(r.email == value for r in registrations.registrations_for(ctx, "s")):
                        registrations.cancel_registration(ctx, "s", str(value))
                    model.cancel(str(value))
                else:
                    sessions.edit_session(ctx, "s", capacity=int(str(value)))
                    model.set_capacity(int(str(value)))
            active = [[r.email, r.status.value] for r in registrations.registrations_for(ctx, "s") if r.active]
            assert active == model.active
            waiting = any(status == "waitlisted" for _, status in active)
            assert not waiting or model.confirmed() >= model.capacity  # nobody waits while a place is free
            invites: dict[str, int] = {}
            for mail in mail_queue(ctx):
                if mail.kind is InviteKind.INVITE:
                    email = ctx.store.registrations.get(mail.registration_id).email  # type: ignore[union-attr]
                    invites[email] = invites.get(email, 0) + 1
            assert invites == model.invites  # exactly one invite each time someone gets a place
