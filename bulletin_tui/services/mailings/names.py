"""A campaign as people call it: the issue's title and the lists' names, or the session a follow-up is about,
rather than its id (`bulletin-2026-11-e-bulletin+partnership-restricted`)."""

from __future__ import annotations

from typing import Any

from ..context import AppContext


def campaign_title(ctx: AppContext, campaign_id: str, meta: dict[str, Any]) -> str:
    """`Community Safety e-Bulletin, November 2026 → E-bulletin + Partnership (restricted)`,
    `Follow-up: DHR learning webinar (no-shows)`; the id when the campaign's record says nothing more."""
    kind = meta.get("kind")
    if kind == "bulletin" and meta.get("issue"):
        issue = ctx.store.issues.get(str(meta["issue"]))
        slugs = [str(s) for s in (meta.get("lists") or str(meta.get("list", "")).split("+")) if s]
        lists = " + ".join(found.name if (found := ctx.store.lists.get(slug)) else slug for slug in slugs)
        return f"{issue.title if issue else meta['issue']}" + (f" → {lists}" if lists else "")
    if kind == "followup" and meta.get("session"):
        session = ctx.store.sessions.get(str(meta["session"]))
        title = session.title if session else str(meta["session"])
        return f"Follow-up: {title}" + (" (no-shows)" if meta.get("audience") == "no-shows" else "")
    return campaign_id
