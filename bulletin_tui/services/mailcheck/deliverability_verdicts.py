"""The verdicts of the deliverability check, from the test message as the team mailbox received it.

Pure: the received bytes, their size, the From domain and the trusted authserv-id in; one `Verdict` per check out.
SPF, DKIM and DMARC are read only from the receiving server's own Authentication-Results header (as
`mailbox/authresults.py` picks it); nothing is verified here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...mailbox.authresults import trusted_results
from ...mailbox.message import Mail, parse_mail, raw_header_values, walk
from .deliverability_headers import DkimSignature, MethodResult, alignment, dkim_signature, method_results

GMAIL_CLIP_BYTES = 102 * 1024
"""Gmail shows "[Message clipped]" when a message's HTML is over about 102 KB (the footer is then hidden)."""
ONE_CLICK = ("List-Unsubscribe", "List-Unsubscribe-Post")
MS365_DKIM = ("Microsoft 365: Defender portal > Email & collaboration > Policies > Email authentication settings > "
              "DKIM: enable signing for {domain} and publish its selector1/selector2 CNAME records")


@dataclass(frozen=True)
class Verdict:
    """One check: OK or PROBLEM, what was seen, and for a problem what to ask IT (or the editor) to fix."""

    check: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{'OK' if self.ok else 'PROBLEM':7} {self.check:10} {self.detail}"
        return text if self.ok or not self.fix else f"{text} -- fix: {self.fix}"

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "verdict": "OK" if self.ok else "PROBLEM", "detail": self.detail,
                "fix": self.fix}


def _no_results(check: str, trusted_id: str) -> Verdict:
    named = f"from {trusted_id!r}" if trusted_id else "at all"
    return Verdict(check, False, f"the receiving server wrote no Authentication-Results header {named}",
                   "set [imap] trusted_authserv_id to the authserv-id the receiving server writes (empty for "
                   "Exchange Online); mail that never leaves the organisation may not be checked at all")


def _aligned_note(domain: str, from_domain: str) -> str:
    how = alignment(domain, from_domain)
    return f"aligned with {from_domain} ({how})" if how else f"NOT aligned with {from_domain}"


def spf_verdict(results: list[MethodResult], from_domain: str) -> Verdict:
    found = next((r for r in results if r.method == "spf"), None)
    if found is None:
        return Verdict("spf", False, "no SPF result", "ask IT why the receiving server does not check SPF")
    mailfrom = found.domain("smtp.mailfrom", "smtp.helo")
    detail = f"{found.result}, smtp.mailfrom={mailfrom or '?'}, {_aligned_note(mailfrom, from_domain)}"
    if found.result != "pass":
        return Verdict("spf", False, detail, f"ask IT to list the sending servers in the SPF record of "
                       f"{mailfrom or from_domain} (Microsoft 365: v=spf1 include:spf.protection.outlook.com -all)")
    if not alignment(mailfrom, from_domain):
        return Verdict("spf", False, detail, f"ask IT to send with an envelope sender (Return-Path) in "
                       f"{from_domain}: SPF for another domain does not count for DMARC")
    return Verdict("spf", True, detail)


def passing_dkim(results: list[MethodResult], from_domain: str) -> list[MethodResult]:
    """The DKIM results that passed for a domain aligned with From."""
    return [r for r in results if r.method == "dkim" and r.result == "pass"
            and alignment(r.domain("header.d", "header.i"), from_domain)]


def dkim_verdict(results: list[MethodResult], from_domain: str) -> Verdict:
    found = [r for r in results if r.method == "dkim"]
    if not found or all(r.result == "none" for r in found):
        return Verdict("dkim", False, "the message was not DKIM-signed",
                       "ask IT to sign outgoing mail with DKIM for " + from_domain + " ("
                       + MS365_DKIM.format(domain=from_domain) + ")")
    good = passing_dkim(results, from_domain)
    if good:
        domain = good[0].domain("header.d", "header.i")
        return Verdict("dkim", True, f"pass, header.d={domain}, {_aligned_note(domain, from_domain)}")
    seen = ", ".join(f"{r.result} header.d={r.domain('header.d', 'header.i') or '?'}" for r in found)
    if any(r.result == "pass" for r in found):
        return Verdict("dkim", False, f"{seen}: not aligned with {from_domain}",
                       f"ask IT to sign with d={from_domain} itself (" + MS365_DKIM.format(domain=from_domain) + ")")
    return Verdict("dkim", False, seen, "ask IT to check the DKIM key published for the selector in DNS, and "
                   "whether anything on the way changes messages after they are signed")


def dmarc_verdict(results: list[MethodResult], from_domain: str) -> Verdict:
    found = next((r for r in results if r.method == "dmarc"), None)
    if found is None:
        return Verdict("dmarc", False, "no DMARC result", "ask IT why the receiving server does not check DMARC")
    named = found.domain("header.from")
    detail = f"{found.result}, header.from={named or '?'}"
    if found.result == "pass" and named == from_domain.lower():
        return Verdict("dmarc", True, detail)
    if found.result == "none":
        return Verdict("dmarc", False, detail + " (no DMARC record)", f"ask IT to publish a DMARC record at "
                       f"_dmarc.{from_domain} (at least v=DMARC1; p=none): Gmail and Yahoo require one from bulk "
                       "senders")
    return Verdict("dmarc", False, detail, f"neither SPF nor DKIM passed aligned with {from_domain}: fix those")


def one_click_verdict(mail: Mail, results: list[MethodResult], from_domain: str) -> Verdict:
    """Whether a DKIM signature that passed, aligned with From, signs List-Unsubscribe and List-Unsubscribe-Post."""
    present = [name for name in ONE_CLICK if raw_header_values(mail.message, name)]
    if "List-Unsubscribe-Post" not in present:
        return Verdict("one-click", False, "the message has no List-Unsubscribe-Post header",
                       "set [sender] unsubscribe_url to an https page (`bulletin-tui serve` answers {base}/u)")
    signatures = [dkim_signature(v) for v in raw_header_values(mail.message, "DKIM-Signature")]
    passed = passing_dkim(results, from_domain)
    signed = [s for s in signatures if any(_same_signature(s, r) for r in passed)]
    if not signed:
        return Verdict("one-click", False, "no DKIM signature passed aligned with the From domain, so no signature "
                       "vouches for List-Unsubscribe", "fix DKIM first (see dkim)")
    covering = next((s for s in signed if s.covers(*ONE_CLICK)), None)
    if covering is not None:
        return Verdict("one-click", True, f"the DKIM signature d={covering.domain} s={covering.selector} signs "
                       "List-Unsubscribe and List-Unsubscribe-Post")
    first = signed[0]
    missing = ", ".join(name for name in ONE_CLICK if not first.covers(name))
    return Verdict("one-click", False, f"the DKIM signature d={first.domain} s={first.selector} does not sign "
                   f"{missing} (h={':'.join(first.signed_headers)})",
                   "ask IT to have the signing server include List-Unsubscribe and List-Unsubscribe-Post in the "
                   "DKIM h= list (RFC 8058 section 4): without it Gmail offers no one-click unsubscribe")


def _same_signature(signature: DkimSignature, result: MethodResult) -> bool:
    """The Authentication-Results entry is about this signature (same d=, and s= / b= prefix where given)."""
    if signature.domain != result.domain("header.d", "header.i"):
        return False
    selector, prefix = result.properties.get("header.s", ""), result.properties.get("header.b", "")
    return (not selector or selector == signature.selector) and signature.signature.startswith(prefix)


def size_verdict(mail: Mail, size: int) -> Verdict:
    html = sum(len(part.as_bytes()) for part in walk(mail.message) if part.get_content_type() == "text/html")
    detail = f"{size / 1024:.1f} KB as received (HTML part {html / 1024:.1f} KB)"
    if html > GMAIL_CLIP_BYTES:
        return Verdict("size", False, detail, "Gmail clips HTML over 102 KB and hides the footer with the "
                       "unsubscribe link: shorten the issue or link to the archive")
    return Verdict("size", True, detail)


def plain_text_verdict(mail: Mail) -> Verdict:
    texts = [p for p in walk(mail.message) if p.get_content_type() == "text/plain"
             and p.get_content_disposition() != "attachment"]
    if texts:
        return Verdict("plain-text", True, "a text/plain part is present")
    return Verdict("plain-text", False, "the message arrived without a text/plain part",
                   "ask IT which gateway or mail flow rule rewrites messages on the way (text-only readers and "
                   "spam filters expect one)")


def received_verdicts(raw: bytes, size: int, from_domain: str, trusted_id: str = "") -> tuple[str, list[Verdict]]:
    """(the trusted Authentication-Results header, one verdict per check) for the received test message."""
    mail = parse_mail(raw)
    header = trusted_results(mail.message, trusted_id)
    results = method_results(header)
    auth = ([spf_verdict(results, from_domain), dkim_verdict(results, from_domain),
             dmarc_verdict(results, from_domain)] if header else
            [_no_results(check, trusted_id) for check in ("spf", "dkim", "dmarc")])
    return header, [*auth, one_click_verdict(mail, results, from_domain), size_verdict(mail, size),
                    plain_text_verdict(mail)]
