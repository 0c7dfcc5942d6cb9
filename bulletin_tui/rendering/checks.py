"""Pre-send checks on a prepared issue: each finding is one line; any error blocks sending."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape

from ..domain.bulletins import BulletinItem
from . import personalise
from .contrast import MINIMUM, contrast_ratio, first_colour, parse_colour
from .htmlscan import Scan, scan_html
from .markdown import is_safe_link, markdown_text
from .prepare import PreparedIssue

GMAIL_CLIP_BYTES = 102 * 1024
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\[\[|\]\]|\bTODO\b|\bTBC\b|\bXXX+\b|lorem ipsum|\bINSERT\b", re.I)
LEFTOVER_TOKEN_RE = re.compile(r"XBT[A-Z]+X")
VAGUE_LINK_TEXT = {"click here", "here", "click", "read more", "more", "link", "this link", "this", "go",
                   "more info", "more information", "find out more", "learn more", "details"}
SAMPLE_VALUES = {"name": "Sample Reader", "unsubscribe_url": "https://example.invalid/u/sample",
                 "email": "sample.reader@example.invalid", "list_name": "the sample list"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: str = "error"
    item_id: str | None = None
    """The bulletin item the finding is about (for a face to jump to); None if it is about the whole issue."""
    field: str | None = None
    """The item's field it is about (`link`, `title`, `closing_date`, …), for a form to open on; None if unknown."""
    item_title: str = ""
    """The item's title, as the message names it after the id (`item 'id' (title): …`)."""

    def line(self) -> str:
        return f"{self.severity}: {self.message} [{self.code}]"

    @property
    def short(self) -> str:
        """The message with its item named by title only (`“Title”: has no link ...`)."""
        prefix = f"item '{self.item_id}' ({self.item_title}): "
        if self.item_id and self.message.startswith(prefix):
            return f"“{self.item_title}”: {self.message.removeprefix(prefix)}"
        return self.message


def check_items(items: list[BulletinItem], today: date) -> list[Finding]:
    """Content checks: no items, placeholders, past closing dates, missing links."""
    findings = [] if items else [Finding("no-items", "the issue has no items")]
    for item in items:
        for field, value in (("title", item.title), ("summary", item.summary), ("link_text", item.link_text)):
            match = PLACEHOLDER_RE.search(value)
            if match:
                findings.append(item_finding(item, "placeholder", f"{field.replace('_', ' ')} contains placeholder "
                                             f"'{match[0]}'", field=field))
        if item.closing_date and item.closing_date < today:
            findings.append(item_finding(item, "past-closing", f"closing date {item.closing_date:%d/%m/%Y} has "
                                         "passed", field="closing_date"))
        if not item.link and not _summary_links(item.summary):
            findings.append(item_finding(item, "missing-link", "has no link for readers to follow", field="link"))
    return findings


def item_finding(item: BulletinItem, code: str, detail: str, severity: str = "error", *,
                 field: str | None = None) -> Finding:
    """A finding about one item and (if known) one of its fields: `item 'id' (title): detail`."""
    return Finding(code, f"item '{item.id}' ({item.title}): {detail}", severity, item.id, field, item.title)


def _summary_links(summary: str) -> list[str]:
    links: list[str] = []
    markdown_text(summary, links)
    return links


def check_restricted(general: PreparedIssue, items: list[BulletinItem], uncleared_lists: list[str]) -> list[Finding]:
    """No restricted item may reach the variant sent to lists that are not cleared for it."""
    findings = []
    for item in (i for i in items if i.restricted):
        leaked = item.id in general.item_ids or escape(item.title) in general.html or (
            item.title in general.text)
        if leaked and uncleared_lists:
            findings.append(Finding("restricted-leak", f"restricted item '{item.id}' would reach uncleared "
                                    f"list(s): {', '.join(uncleared_lists)}", item_id=item.id,
                                    item_title=item.title))
        elif uncleared_lists:
            findings.append(Finding("restricted-held-back", f"restricted item '{item.id}' is left out for "
                                    f"uncleared list(s): {', '.join(uncleared_lists)}", "warning", item.id,
                                    item_title=item.title))
    return findings


def check_prepared(prepared: PreparedIssue, *, size_warning_kb: int, label: str = "") -> list[Finding]:
    """Checks on the rendered output of one variant."""
    prefix = f"{label}: " if label else ""
    html_values, text_values = personalise.personal_values(prepared, **SAMPLE_VALUES)
    html = personalise.substitute(prepared.html, html_values)
    text = personalise.substitute(prepared.text, text_values)
    scan = scan_html(prepared.html)
    findings = [
        *_size(prepared.html_bytes, size_warning_kb), *_leftovers(html, text), *_sections(scan),
        *_headings(scan), *_links(scan), *_images(scan), *_contrast(scan), *_plain_text(prepared.text),
        *_unsubscribe(prepared, scan),
    ]
    return [Finding(f.code, prefix + f.message, f.severity) for f in findings]


def _size(size: int, warning_kb: int) -> list[Finding]:
    kb = f"{size / 1024:.1f} KB"
    if size > GMAIL_CLIP_BYTES:
        return [Finding("html-size", f"HTML is {kb}: Gmail clips messages over 102 KB")]
    if size > warning_kb * 1024:
        return [Finding("html-size", f"HTML is {kb}, close to Gmail's 102 KB clipping limit", "warning")]
    return []


def _leftovers(html: str, text: str) -> list[Finding]:
    found = sorted(set(LEFTOVER_TOKEN_RE.findall(html + text)))
    return [Finding("placeholder", f"unrendered personal token {token} in the message") for token in found]


def _sections(scan: Scan) -> list[Finding]:
    return [Finding("empty-section", f"section '{text}' has no content")
            for index, (level, text) in enumerate(scan.headings)
            if level == 2 and not scan.h2_content.get(index)]


def _headings(scan: Scan) -> list[Finding]:
    findings, previous = [], 0
    for level, text in scan.headings:
        if level > previous + 1:
            findings.append(Finding("heading-order", f"heading h{level} '{text}' follows h{previous or 'none'}"))
        previous = level
    if sum(1 for level, _ in scan.headings if level == 1) != 1:
        findings.append(Finding("heading-order", "the message needs exactly one h1 heading"))
    return findings


def _links(scan: Scan) -> list[Finding]:
    findings = []
    for link in scan.links:
        if link.href in personalise.TOKENS:
            continue
        if not link.href.strip() or not is_safe_link(link.href):
            findings.append(Finding("missing-link", f"link '{link.text}' has no usable address ({link.href!r})"))
        if link.text.lower().strip(" .:!") in VAGUE_LINK_TEXT or not link.text:
            findings.append(Finding("link-text", f"link text '{link.text}' does not say where it goes "
                                    f"({link.href[:60]})"))
        shown, target = _host_named(link.text), _host_named(link.href)
        if shown and target and shown != target:
            findings.append(Finding("link-text", f"link text '{link.text[:60]}' names {shown} but the link goes to "
                                    f"{target}"))
    return findings


_ADDRESS_TEXT = re.compile(r"^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?::\d+)?(?:[/?#]\S*)?$", re.I)


def _host_named(text: str) -> str:
    """The host a link text or address names ('' when the text is words, not an address), without `www.`."""
    found = _ADDRESS_TEXT.match(text.strip())
    return found.group(1).lower().removeprefix("www.") if found else ""


def _images(scan: Scan) -> list[Finding]:
    return [Finding("image-alt", f"image {src} has no alt text") for src in scan.images_without_alt]


def _contrast(scan: Scan) -> list[Finding]:
    findings, seen = [], set()
    for run in scan.styled_text:
        foreground, background = parse_colour(run.color), first_colour(run.background)
        if foreground is None or background is None or (run.color, run.background) in seen:
            continue
        seen.add((run.color, run.background))
        ratio = contrast_ratio(foreground, background)
        if ratio < MINIMUM:
            findings.append(Finding("contrast", f"text '{run.text[:40]}' is {run.color} on {run.background}: "
                                    f"contrast {ratio:.2f}:1 is below {MINIMUM}:1"))
    return findings


URL_LINE_RE = re.compile(r"^\s*(\[\d+\]\s+)?(https?://|mailto:)\S+$")


def _plain_text(text: str) -> list[Finding]:
    if len(text.split()) < 5:
        return [Finding("plain-text", "the plain-text part is missing or empty")]
    long_lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                  if len(line) > 78 and not URL_LINE_RE.match(line) and not any(t in line for t in personalise.TOKENS)]
    return [Finding("plain-text", f"plain-text line {number} is {len(line)} characters (78 at most): "
                    f"'{line[:40]}…'", "warning") for number, line in long_lines[:3]]


def _unsubscribe(prepared: PreparedIssue, scan: Scan) -> list[Finding]:
    findings = []
    if not any(link.href == personalise.UNSUBSCRIBE for link in scan.links):
        findings.append(Finding("unsubscribe", "the HTML has no unsubscribe link"))
    if personalise.UNSUBSCRIBE not in prepared.text:
        findings.append(Finding("unsubscribe", "the plain text has no unsubscribe link"))
    return findings
