"""The read model (`storage/readmodel.py`): the keyed services answer the same whether they read the full store or
the web face's fast reader (`web/view.py`), which is what lets the web face hand them its view (mypy checks that
both fit the Protocol; this checks they mean the same)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bulletin_tui.domain.subscribers import DistributionList, Membership, MembershipStatus, Subscriber
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.suppression import suppress, suppressed_among, suppressed_digests
from bulletin_tui.services.subscribers.tokens import genuine_token_list, reference_index, token_maker
from bulletin_tui.services.web.signing import confirmation_signer, csrf_signer
from bulletin_tui.storage.database import DB_NAME
from bulletin_tui.storage.errors import ReadOnlyError
from bulletin_tui.web.view import ViewStore, WebContext, load_view

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PEOPLE = ["ann@example.org", "Bob.Smith@Example.org", "chloé@exemple.fr", "dee@xn--bcher-kva.example"]


def _member(status: MembershipStatus, version: int) -> Membership:
    return Membership(status=status, changed_at=AT, token_version=version)


def _seed(ctx: AppContext) -> None:
    with ctx.store.transaction():
        ctx.store.lists.put(DistributionList(slug="e-bulletin", name="E-bulletin", created_at=AT))
        for n, email in enumerate(PEOPLE):
            status = MembershipStatus.SUBSCRIBED if n % 2 == 0 else MembershipStatus.UNSUBSCRIBED
            person = Subscriber(email=email, lists={"e-bulletin": _member(status, n)}, created_at=AT, updated_at=AT)
            ctx.store.subscribers.put(person)
        suppress(ctx, PEOPLE[1], "hard bounce")


def test_the_keyed_services_read_the_view_as_they_read_the_store(ctx: AppContext) -> None:
    _seed(ctx)
    web = WebContext(ViewStore(load_view(ctx.data_dir / DB_NAME), ctx.data_dir))
    assert reference_index(web) == reference_index(ctx) and len(reference_index(ctx)) >= len(PEOPLE)
    keys, kept_keys = ctx.store.subscribers.keys(), web.store.subscribers.keys()
    tokens = [token_maker(ctx, "e-bulletin")(key) for key in keys]
    assert [token_maker(web, "e-bulletin")(key) for key in kept_keys] == tokens
    assert {genuine_token_list(web, token) for token in tokens} == {"e-bulletin"}
    assert genuine_token_list(web, tokens[0][:-2] + "AA") is None
    assert web.store.suppressed == suppressed_digests(ctx)
    blocked = suppressed_among(web, web.store.suppressed)
    assert [blocked(email) for email in PEOPLE] == [False, True, False, False]
    assert confirmation_signer(web).key == confirmation_signer(ctx).key and csrf_signer(web).key == csrf_signer(ctx).key


def test_the_view_keeps_what_the_token_services_read_of_a_subscriber(ctx: AppContext) -> None:
    _seed(ctx)
    view = ViewStore(load_view(ctx.data_dir / DB_NAME), ctx.data_dir)
    keys = ctx.store.subscribers.keys()
    for key in keys:
        full, kept = ctx.store.subscribers.row(key), view.subscribers.row(key)
        assert full is not None and kept is not None
        assert {slug: (m["status"], m["token_version"]) for slug, m in kept["lists"].items()} == {
            slug: (m["status"], m["token_version"]) for slug, m in full["lists"].items()}
    assert view.read_only  # so the secret is never made through it; and if asked:
    with pytest.raises(ReadOnlyError):
        view.db.ensure_key()
