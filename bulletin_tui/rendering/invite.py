"""Invite e-mails (invites, updates, cancellations, reminders) in the bulletin's HTML shell, inlined once per
wording: the recipient's greeting is a token swapped in afterwards, so premailer never runs per person."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..invites.message import join_text, split_link
from .environment import cached_environment
from .inline import inline_css
from .personalise import NAME
from .prepare import render_template
from .view import ACCESSIBILITY

INVITE_TEMPLATE = "invite.html.j2"


@dataclass(frozen=True)
class InviteRow:
    label: str
    text: str
    url: str | None = None
    link_text: str = ""


@dataclass(frozen=True)
class InviteView:
    subject: str
    title: str
    heading: str
    greeting: str
    opening: str
    rows: list[InviteRow]
    team_name: str
    team_email: str
    telephone: str
    accessibility: str = ACCESSIBILITY
    privacy_notice_url: str = ""


def invite_rows(rows: list[tuple[str, str]]) -> list[InviteRow]:
    """(label, value) pairs with a trailing link turned into "Join the session (Microsoft Teams)"."""
    out = []
    for label, value in rows:
        prefix, url = split_link(value)
        out.append(InviteRow(label, prefix, url, join_text(url)) if url else InviteRow(label, value))
    return out


@lru_cache(maxsize=64)
def _inlined(source: str) -> str:
    return inline_css(source)


def invite_html(templates_dir: Path | None, view: InviteView) -> str:
    """The inlined HTML part; the same wording for another person costs one substitution, not an inline."""
    greeting = view.greeting
    tokenised = replace(view, greeting=NAME)
    source = render_template(cached_environment(templates_dir), INVITE_TEMPLATE, v=tokenised)
    return _inlined(source).replace(NAME, html.escape(greeting))
