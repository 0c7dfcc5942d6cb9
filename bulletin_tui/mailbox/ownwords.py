"""The sender's own words in a message body: quoted replies, reply headers, signatures and disclaimers cut away;
a forwarded message's content used in place of the forwarder's note."""

from __future__ import annotations

import re

_FORWARD_MARK = re.compile(
    r"^\s*(-{3,}\s*forwarded message\s*-{3,}|begin forwarded message:?|-{3,}\s*original "
    r"message\s*-{3,})\s*$",
    re.I,
)
_ORIGINAL = re.compile(r"^\s*-{3,}\s*original message\s*-{3,}\s*$", re.I)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")
_HEADER_LINE = re.compile(r"^\s*\*?(from|sent|date|to|cc|subject|reply-to|importance)\*?:\s*\S", re.I)
_RETURNED = re.compile(  # an MTA's or autoresponder's copy of the message it answers, inline below its own text
    r"^\W*(below this line is a copy of the message|this is a copy of the message|(the )?original message "
    r"(follows|is (included |attached )?below|was)|your (original )?message (reads|was)|-+ ?(returned|undelivered) "
    r"message ?-+|\*+ ?original message ?\*+)",
    re.I,
)
_WROTE = re.compile(r"^\s*on\s.{4,200}\bwrote:\s*$", re.I)
_WROTE_START = re.compile(r"^\s*on\s.{4,200}$", re.I)
_SIGNATURE = re.compile(
    r"^\s*(--|--\s|(kind(est)?|best|warm(est)?|many|with)?\s*(regards|wishes|thanks|thank you)[\s,.!]*"
    r"|(many\s+)?thanks[\s,.!]*|thank you[\s,.!]*|cheers[\s,.!]*|yours (sincerely|faithfully)[\s,.!]*"
    r"|sent from my \w+.*|get outlook for \w+.*)$",
    re.I,
)
_DISCLAIMER = re.compile(
    r"^\s*(disclaimer\b|confidentiality( notice)?\b|this (e-?mail|message|communication)( and any| \(and any| is)"
    r"|the information (in|contained in) this (e-?mail|message)|any views or opinions|please consider the "
    r"environment)",
    re.I,
)
_BANNER = re.compile(
    r"(originated (from )?outside|external (e-?mail|sender)|^\W*\[?external\]?\W*$"
    r"|do not click links or open attachments)",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hiya|dear|good (morning|afternoon|evening)|morning|afternoon)\b[^.\n]{0,60}"
    r"$",
    re.I,
)
_PLEASANTRY = re.compile(
    r"^\s*(i hope (you are|you're|this (e-?mail )?finds you|all is)|hope (you are|you're|all)"
    r")\b[^\n]{0,60}$",
    re.I,
)
_REQUEST = re.compile(r"\b(e-?bulletin|bulletin|newsletter)\b", re.I)


def own_words(text: str, *, forwarded: bool) -> str:
    """The part of a body the sender wrote (or, for a forward, the forwarded content), without quotes or
    signatures."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _forwarded_start(lines) if forwarded else None
    if start is not None:
        lines = lines[start:]
    kept: list[str] = []
    for number, line in enumerate(lines):
        if _ends_own_words(lines, number, has_content=any(k.strip() for k in kept)):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def _forwarded_start(lines: list[str]) -> int | None:
    """The first line after a forward marker's header block (From:, Sent:, Subject: …), if there is one."""
    for number, line in enumerate(lines):
        if _FORWARD_MARK.match(line) or _outlook_block(lines, number):
            after = number + (0 if _outlook_block(lines, number) else 1)
            while after < len(lines) and (
                not lines[after].strip() or _HEADER_LINE.match(lines[after]) or _OUTLOOK_RULE.match(lines[after])
            ):
                after += 1
            return after
    return None


def _outlook_block(lines: list[str], number: int) -> bool:
    """An Outlook reply/forward header: `From: …` followed within two lines by `Sent:` or `Date:`."""
    if not re.match(r"^\s*\*?from\*?:\s*\S", lines[number], re.I):
        return False
    return any(re.match(r"^\s*\*?(sent|date)\*?:\s*\S", line, re.I) for line in lines[number + 1 : number + 3])


def _ends_own_words(lines: list[str], number: int, *, has_content: bool) -> bool:
    line = lines[number]
    if _ORIGINAL.match(line) or _FORWARD_MARK.match(line) or _outlook_block(lines, number) or _WROTE.match(line):
        return True
    if _RETURNED.match(line):
        return True
    if _WROTE_START.match(line) and number + 1 < len(lines) and lines[number + 1].strip().endswith("wrote:"):
        return True  # "On Tue, 1 Dec 2026 at 10:02, Jo Bloggs <jo@x>\nwrote:" wrapped over two lines
    if _OUTLOOK_RULE.match(line) and number + 1 < len(lines) and _HEADER_LINE.match(lines[number + 1]):
        return True
    return has_content and bool(_SIGNATURE.match(line) or _DISCLAIMER.match(line))


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines, each with its lines joined by spaces (hard-wrapped text unwrapped)."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


def is_preamble(paragraph: str) -> bool:
    """A greeting, a pleasantry, a security banner, or a short request to include what follows in the bulletin."""
    if _GREETING.match(paragraph) or _PLEASANTRY.match(paragraph) or _BANNER.search(paragraph[:300]):
        return True
    short = len(paragraph) <= 200
    return short and bool(_REQUEST.search(paragraph)) and paragraph.rstrip().endswith((":", "?", "below.", "below"))
