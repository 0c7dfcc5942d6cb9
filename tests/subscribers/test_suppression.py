"""Suppression: keyed HMACs only, checked by audience, add and is_subscribed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.errors import DomainError, NotFoundError
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.subscribers.people import add_subscriber, audience, is_subscribed, unsubscribe
from bulletin_tui.services.subscribers.suppression import is_suppressed, suppress, suppression_digest, unsuppress


def test_only_a_keyed_hmac_is_stored_never_the_address_or_its_plain_hash(ctx: AppContext) -> None:
    suppress(ctx, "Bounce@Example.org", "hard bounce")
    raw = ctx.store.db.path.read_text()
    assert "bounce@example.org" not in raw.lower()
    assert hashlib.sha256(b"bounce@example.org").hexdigest() not in raw
    assert suppression_digest(ctx, " bounce@EXAMPLE.org ") in raw
    assert is_suppressed(ctx, "BOUNCE@example.org") and not is_suppressed(ctx, "other@example.org")


def test_digests_differ_between_installations(ctx: AppContext, tmp_path: Path) -> None:
    with open_context(Settings(data_dir=tmp_path / "other"), create=True) as other:
        assert suppression_digest(other, "a@example.org") != suppression_digest(ctx, "a@example.org")


def test_suppressed_people_leave_the_audience_but_keep_their_record(ctx: AppContext) -> None:
    for address in ("c@example.org", "a@example.org", "b@example.org"):
        add_subscriber(ctx, address)
    suppress(ctx, "b@example.org", "hard bounce")
    assert [p.key for p in audience(ctx, "e-bulletin")] == ["a@example.org", "c@example.org"]
    assert not is_subscribed(ctx, "b@example.org", "e-bulletin")
    assert "b@example.org" in ctx.store.subscribers


def test_audience_leaves_out_unsubscribed_and_other_lists(ctx: AppContext) -> None:
    add_subscriber(ctx, "stay@example.org")
    add_subscriber(ctx, "go@example.org")
    unsubscribe(ctx, "go@example.org")
    assert [p.key for p in audience(ctx, "e-bulletin")] == ["stay@example.org"]
    assert audience(ctx, "dhr-webinars") == []


def test_adding_a_suppressed_address_is_refused_until_lifted(ctx: AppContext) -> None:
    suppress(ctx, "x@example.org", "erasure")
    with pytest.raises(DomainError, match="suppression list .erasure."):
        add_subscriber(ctx, "x@example.org")
    assert unsuppress(ctx, "X@example.org").reason == "erasure"
    assert add_subscriber(ctx, "x@example.org").is_subscribed("e-bulletin")
    with pytest.raises(NotFoundError):
        unsuppress(ctx, "x@example.org")


def test_suppressing_twice_keeps_the_first_reason(ctx: AppContext) -> None:
    suppress(ctx, "x@example.org", "hard bounce")
    suppress(ctx, "x@example.org", "erasure")
    with pytest.raises(DomainError, match="hard bounce"):
        add_subscriber(ctx, "x@example.org")


def test_a_refused_add_leaves_nothing_behind_not_even_the_default_list(ctx: AppContext) -> None:
    suppress(ctx, "x@example.org", "hard bounce")
    before = ctx.store.db.path.read_bytes()
    with pytest.raises(DomainError):
        add_subscriber(ctx, "x@example.org")
    with pytest.raises(DomainError, match="email: not a valid e-mail address"):
        add_subscriber(ctx, "not-an-address")
    assert ctx.store.db.path.read_bytes() == before and "e-bulletin" not in ctx.store.lists
