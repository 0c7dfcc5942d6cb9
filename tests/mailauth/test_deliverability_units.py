"""The deliverability check's reading of headers: Authentication-Results as Exchange Online and RFC 8601 servers
write them, DKIM-Signature tags, the organisational-domain rule, and the verdicts built from them."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from bulletin_tui.services.mailcheck.deliverability_headers import (
    alignment,
    dkim_signature,
    method_results,
    organisational_domain,
)
from bulletin_tui.services.mailcheck.deliverability_verdicts import GMAIL_CLIP_BYTES, received_verdicts

EXCHANGE = ("spf=pass (sender IP is 192.0.2.10; identity alignment result is pass) smtp.mailfrom=kent.gov.uk; "
            "dkim=pass (signature was verified) header.d=kent.gov.uk;dmarc=pass action=none "
            "header.from=kent.gov.uk;compauth=pass reason=100")


def test_exchange_online_results_without_an_authserv_id_and_with_semicolons_in_comments() -> None:
    found = {r.method: r for r in method_results(EXCHANGE)}
    assert set(found) == {"spf", "dkim", "dmarc", "compauth"}
    assert found["spf"].result == "pass" and found["spf"].domain("smtp.mailfrom") == "kent.gov.uk"
    assert found["dkim"].properties == {"header.d": "kent.gov.uk"}
    assert found["dmarc"].domain("header.from") == "kent.gov.uk"


def test_rfc_8601_results_with_an_authserv_id_version_nested_comments_and_quoted_values() -> None:
    value = ('mx.kent.gov.uk 1; spf=pass smtp.mailfrom="bounce;x@mail.kent.gov.uk"; dkim=pass (good (2048-bit) '
             'key) header.d=kent.gov.uk header.s=sel1 header.b=AbCd1234; dmarc=none header.from=kent.gov.uk')
    spf, dkim, dmarc = method_results(value)
    assert spf.domain("smtp.mailfrom") == "mail.kent.gov.uk"
    assert dkim.properties == {"header.d": "kent.gov.uk", "header.s": "sel1", "header.b": "AbCd1234"}
    assert dmarc.result == "none"
    assert method_results("mx.kent.gov.uk; none") == []


def test_dkim_signature_tags_ignore_folding_and_case() -> None:
    signature = dkim_signature("v=1; a=rsa-sha256; c=relaxed/simple; d=Kent.Gov.UK; s=selector1;\r\n\t"
                               "h=From:To:Subject:\r\n List-Unsubscribe : List-Unsubscribe-Post; bh=x; b=AbC\r\n dEf")
    assert signature.domain == "kent.gov.uk" and signature.selector == "selector1"
    assert signature.covers("list-unsubscribe", "LIST-UNSUBSCRIBE-POST") and signature.signature == "AbCdEf"


@pytest.mark.parametrize(("domain", "organisational"), [
    ("kent.gov.uk", "kent.gov.uk"), ("mail.kent.gov.uk", "kent.gov.uk"), ("news.example.org", "example.org"),
    ("a.b.example.co.uk", "example.co.uk"), ("example.org", "example.org"), ("kent.police.uk", "kent.police.uk"),
    ("mail.example.de", "example.de"),
])
def test_organisational_domain(domain: str, organisational: str) -> None:
    assert organisational_domain(domain) == organisational


def test_alignment_is_strict_relaxed_or_none_and_gov_uk_neighbours_never_align() -> None:
    assert alignment("kent.gov.uk", "kent.gov.uk") == "strict"
    assert alignment("bounces.kent.gov.uk", "kent.gov.uk") == "relaxed"
    assert alignment("medway.gov.uk", "kent.gov.uk") == ""
    assert alignment("kent.onmicrosoft.com", "kent.gov.uk") == ""


def _received(results: str, *, html: str = "<p>Hello</p>", text: bool = True) -> bytes:
    message = EmailMessage()
    message["Authentication-Results"] = results
    message["From"], message["To"] = "team@kent.gov.uk", "team@kent.gov.uk"
    message["List-Unsubscribe"] = "<https://u.example.org/u/t>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["DKIM-Signature"] = "v=1; d=kent.gov.uk; s=s1; h=from:to:list-unsubscribe:list-unsubscribe-post; b=Zz"
    if text:
        message.set_content("Hello")
        message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    return message.as_bytes()


def test_exchange_results_without_a_trusted_id_are_the_topmost_and_pass() -> None:
    header, verdicts = received_verdicts(_received(EXCHANGE), 4000, "kent.gov.uk")
    assert header == " ".join(EXCHANGE.split()) and all(v.ok for v in verdicts), verdicts


def test_a_trusted_id_that_is_not_there_is_a_problem_for_each_of_spf_dkim_dmarc() -> None:
    _header, verdicts = received_verdicts(_received(EXCHANGE), 4000, "kent.gov.uk", "mx.kent.gov.uk")
    by_check = {v.check: v for v in verdicts}
    assert [by_check[c].ok for c in ("spf", "dkim", "dmarc")] == [False, False, False]
    assert "trusted_authserv_id" in by_check["dkim"].fix


def test_spf_pass_for_another_domain_is_not_aligned() -> None:
    results = EXCHANGE.replace("smtp.mailfrom=kent.gov.uk", "smtp.mailfrom=bounces.mailer.example")
    spf = received_verdicts(_received(results), 4000, "kent.gov.uk")[1][0]
    assert not spf.ok and "NOT aligned with kent.gov.uk" in spf.detail and "Return-Path" in spf.fix


def test_no_dmarc_record_asks_for_one() -> None:
    results = EXCHANGE.replace("dmarc=pass action=none", "dmarc=none action=none")
    dmarc = received_verdicts(_received(results), 4000, "kent.gov.uk")[1][2]
    assert not dmarc.ok and "_dmarc.kent.gov.uk" in dmarc.fix


def test_html_over_gmails_clip_and_a_missing_text_part_are_problems() -> None:
    raw = _received(EXCHANGE, html="<p>" + "x" * GMAIL_CLIP_BYTES + "</p>", text=False)
    by_check = {v.check: v for v in received_verdicts(raw, len(raw), "kent.gov.uk")[1]}
    assert not by_check["size"].ok and "clips" in by_check["size"].fix
    assert not by_check["plain-text"].ok
