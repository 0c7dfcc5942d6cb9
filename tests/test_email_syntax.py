"""The fast path for plain addresses never accepts what email_validator rejects."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tui.domain.text import _plainly_valid, email_address

ALPHABET = "abcXYZ019.-_+'@!#"
parts = st.text(alphabet=ALPHABET, min_size=0, max_size=20)


def validator_accepts(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=3000, deadline=None)
@given(local=parts, domain=st.lists(st.text(alphabet="abz09-", min_size=0, max_size=10), min_size=1, max_size=4),
       tld=st.sampled_from(["org", "uk", "test", "invalid", "x", "c0m", "local", "co"]))
def test_fast_path_is_never_more_permissive(local: str, domain: list[str], tld: str) -> None:
    address = f"{local}@{'.'.join(domain)}.{tld}"
    if _plainly_valid(address):
        assert validator_accepts(address), address


@pytest.mark.parametrize("address", ["a..b@example.org", ".a@example.org", "a@-x.example.org", "a@example.test",
                                     "a@localhost", "a b@example.org", "@example.org", "a@example"])
def test_invalid_addresses_are_refused(address: str) -> None:
    with pytest.raises(ValueError, match="not a valid e-mail address|control"):
        email_address(address)


@pytest.mark.parametrize("address", ["Jo.Bloggs@Kent.gov.uk", "o'neil@example.org", "zoë@example.org",
                                     "user@bücher.example", "a+tag@police.example.org"])
def test_valid_addresses_are_kept_as_given(address: str) -> None:
    assert email_address(address) == address
