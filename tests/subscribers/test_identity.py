"""One person, one identity (issue #11 item 8): the canonical form of an address, used wherever two are compared."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_tui.domain.identity import canonical_email, envelope_address, legacy_keys
from bulletin_tui.domain.subscribers import MembershipStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.imports import preview_import
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe
from bulletin_tui.services.subscribers.suppression import is_suppressed, suppress
from bulletin_tui.services.subscribers.tokens import unsubscribe_token, verify_unsubscribe_token
from tests.conftest import CliRun

UNICODE_DOMAINS = ["bücher.example", "köln.example", "münchen.example", "ελληνικά.example", "例え.テスト"]
locals_ = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._+-éöÅ", min_size=1, max_size=16)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.text(max_size=40))
def test_canonical_form_is_idempotent_for_any_text(value: str) -> None:
    once = canonical_email(value)
    assert canonical_email(once) == once


@given(locals_, st.sampled_from(UNICODE_DOMAINS), st.sampled_from([str, str.upper, str.title, _full_width]))
def test_every_spelling_of_a_domain_is_one_person(local: str, domain: str, spell) -> None:  # type: ignore[no-untyped-def]
    key = canonical_email(f"{local}@{domain}")
    a_label = key.rpartition("@")[2]
    assert a_label.isascii() and canonical_email(key) == key
    assert canonical_email(f"{local}@{spell(domain)}") == key
    assert canonical_email(f" {local}@{a_label.upper()} ") == key
    assert canonical_email(envelope_address(f"{local}@{domain}")) == key


def test_the_examples_of_the_issue() -> None:
    assert canonical_email("user@bücher.example") == canonical_email("user@xn--bcher-kva.example")
    assert canonical_email("user@bücher.example") == "user@xn--bcher-kva.example"
    assert canonical_email("carol@ｅxample.org") == canonical_email("carol@example.org") == "carol@example.org"
    assert canonical_email("Jöhn@Example.org") == "jöhn@example.org"  # local part kept, compared without case
    assert canonical_email("аlice@example.org") != canonical_email("alice@example.org")  # Cyrillic а: distinct
    assert canonical_email("x@straße.de") == "x@xn--strae-oqa.de" != canonical_email("x@strasse.de")  # IDNA2008
    assert envelope_address("Jöhn@Bücher.example") == "Jöhn@xn--bcher-kva.example"
    assert legacy_keys("user@xn--bcher-kva.example") == {"user@xn--bcher-kva.example", "user@bücher.example"}


def test_unsubscribed_with_a_unicode_domain_stays_unsubscribed_when_imported_as_a_label(
    ctx: AppContext, write_csv
) -> None:  # type: ignore[no-untyped-def]
    add_subscriber(ctx, "user@bücher.example", name="Ute")
    unsubscribe(ctx, "user@bücher.example")
    import_file(ctx, write_csv("Email,Name\nuser@xn--bcher-kva.example,Ute again\nUSER@BÜCHER.EXAMPLE,x\n"))
    [person] = ctx.store.subscribers.all()
    assert person.email == "user@bücher.example"  # shown as first typed
    assert person.lists["e-bulletin"].status is MembershipStatus.UNSUBSCRIBED


def test_full_width_spelling_of_a_suppressed_address_is_refused(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    suppress(ctx, "carol@example.org", "hard bounce")
    preview = preview_import(ctx, write_csv("Email\ncarol@ｅxample.org\nCAROL@EXAMPLE.ORG\n"))
    assert preview.suppressed == [2] and [d.row for d in preview.duplicates] == [3]
    assert preview.counts()["new"] == 0
    assert is_suppressed(ctx, "Carol@ＥXAMPLE.org")


def test_cli_unsubscribe_and_show_data_by_any_spelling(cli: CliRun) -> None:
    cli("subscribers", "add", "zoë@bücher.example", "--name", "Zoë")
    assert "unsubscribed zoë@bücher.example" in cli("subscribers", "unsubscribe", "ZOË@xn--bcher-kva.example")
    data = json.loads(cli("subscribers", "show-data", "zoë@ＢÜCHER.example"))
    assert data["subscriber"]["email"] == "zoë@bücher.example"


def test_a_token_survives_any_spelling(ctx: AppContext) -> None:
    add_subscriber(ctx, "user@bücher.example")
    token = unsubscribe_token(ctx, "USER@xn--bcher-kva.example", "e-bulletin")
    assert token == unsubscribe_token(ctx, "user@bücher.example", "e-bulletin")
    assert verify_unsubscribe_token(ctx, token) == ("user@xn--bcher-kva.example", "e-bulletin")


SPELLINGS = [str, str.upper, str.lower, _full_width, lambda a: a.replace("bücher.example", "xn--bcher-kva.example")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(local=st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True), first=st.sampled_from(SPELLINGS),
       later=st.sampled_from(SPELLINGS))
def test_a_suppression_made_under_one_spelling_holds_for_every_other(ctx: AppContext, local: str, first, later) -> None:  # type: ignore[no-untyped-def]
    address = f"{local}@bücher.example"
    suppress(ctx, first(address), "hard bounce")
    assert is_suppressed(ctx, later(address)) and is_suppressed(ctx, canonical_email(address))
    assert not is_suppressed(ctx, f"{local}-not-suppressed@bücher.example")  # "-" is never in a suppressed one
