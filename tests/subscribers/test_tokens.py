"""Unsubscribe tokens: round trip, no address inside, forgery, replay after re-subscribe, the secret file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.privacy.subject import erase
from bulletin_tui.services.subscribers.people import add_subscriber, is_subscribed, unsubscribe
from bulletin_tui.services.subscribers.secret import secret_path
from bulletin_tui.services.subscribers.tokens import find_tokens, unsubscribe_token, verify_unsubscribe_token

ADDRESS = "Reader.One@Example.org"


@pytest.fixture
def member(ctx: AppContext) -> AppContext:
    add_subscriber(ctx, ADDRESS, name="Reader One")
    return ctx


def test_round_trip_gives_the_key_and_list_and_no_address_is_inside(member: AppContext) -> None:
    token = unsubscribe_token(member, ADDRESS, "e-bulletin")
    assert verify_unsubscribe_token(member, token) == ("reader.one@example.org", "e-bulletin")
    assert "reader" not in token.lower() and "example" not in token.lower()
    assert token == unsubscribe_token(member, "reader.one@EXAMPLE.org", "e-bulletin")
    assert all(ch.isalnum() or ch in "-_." for ch in token)  # URL-safe as it stands
    assert find_tokens(f"Subject: unsubscribe {token}\n") == [token]


def _flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1:]


@pytest.mark.parametrize("part", [1, 2, 3, 4])
def test_any_altered_part_is_rejected_as_forged(member: AppContext, part: int) -> None:
    token = unsubscribe_token(member, ADDRESS, "e-bulletin")
    pieces = token.split(".")
    pieces[part] = {1: _flip(pieces[1], 3), 2: "dhr-webinars", 3: "7", 4: _flip(pieces[4], 5)}[part]
    with pytest.raises(DomainError, match="not genuine"):
        verify_unsubscribe_token(member, ".".join(pieces))
    assert is_subscribed(member, ADDRESS, "e-bulletin")


@pytest.mark.parametrize("junk", ["", "u1", "u1.a.b.c", "v2.AAAAAAAAAAAAAAAA.e-bulletin.0.x", "u1.x.Bad_Slug.0.y",
                                  "u1.AAAAAAAAAAAAAAAA.e-bulletin.zero.AAAAAAAAAAAAAAAAAAAAAA"])
def test_malformed_tokens_are_refused(member: AppContext, junk: str) -> None:
    with pytest.raises(DomainError, match="not an unsubscribe token"):
        verify_unsubscribe_token(member, junk)


def test_a_token_from_another_installation_is_forged_here(member: AppContext, tmp_path: Path) -> None:
    with open_context(Settings(data_dir=tmp_path / "other"), create=True) as other:
        add_subscriber(other, ADDRESS)
        foreign = unsubscribe_token(other, ADDRESS, "e-bulletin")
    assert foreign != unsubscribe_token(member, ADDRESS, "e-bulletin")
    with pytest.raises(DomainError, match="not genuine"):
        verify_unsubscribe_token(member, foreign)


def test_replay_is_harmless_and_an_old_token_dies_after_resubscribe(member: AppContext) -> None:
    token = unsubscribe_token(member, ADDRESS, "e-bulletin")
    assert unsubscribe(member, token).lists == ["e-bulletin"]
    replay = unsubscribe(member, token)
    assert (replay.lists, replay.already) == ([], ["e-bulletin"])
    add_subscriber(member, ADDRESS, resubscribe=True)
    with pytest.raises(DomainError, match="out of date"):
        unsubscribe(member, token)
    assert is_subscribed(member, ADDRESS, "e-bulletin")
    fresh = unsubscribe_token(member, ADDRESS, "e-bulletin")
    assert fresh != token and unsubscribe(member, fresh).lists == ["e-bulletin"]


def test_a_token_for_an_erased_person_is_refused(member: AppContext) -> None:
    token = unsubscribe_token(member, ADDRESS, "e-bulletin")
    erase(member, ADDRESS)
    with pytest.raises(DomainError, match="no current subscriber"):
        verify_unsubscribe_token(member, token)


def test_secret_file_is_0600_outside_the_database_and_stable(member: AppContext) -> None:
    token = unsubscribe_token(member, ADDRESS, "e-bulletin")
    path = secret_path(member)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() not in member.store.db.path.read_text()
    assert verify_unsubscribe_token(member, token)[0] == "reader.one@example.org"


def test_a_secret_readable_by_others_is_refused(member: AppContext) -> None:
    from bulletin_tui.services.subscribers import secret

    path = secret_path(member)
    unsubscribe_token(member, ADDRESS, "e-bulletin")
    os.chmod(path, 0o644)
    secret._cache.clear()
    with pytest.raises(DomainError, match="readable by others .mode 0644.; run: chmod 600"):
        unsubscribe_token(member, ADDRESS, "e-bulletin")
