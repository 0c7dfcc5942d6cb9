"""What each Graph request needs, and Graph's refusals in one line: what we tried, Graph's status, code and message,
and what an admin does about it (docs/microsoft-365.md, "Teams meetings through Microsoft Graph")."""

from __future__ import annotations

from dataclasses import dataclass

TEAMS_POLICY = ("a Teams admin must also grant this app a Teams application access policy for the organiser "
                "(New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy -Identity <organiser object ID>; "
                "it can take 30 minutes to apply)")


@dataclass(frozen=True)
class Need:
    """What a kind of request does and the Graph application permission it needs."""

    action: str
    """Said after "refused to ..." (e.g. "read the meeting's attendance reports")."""
    permission: str
    """The least-privileged Graph application permission that allows it."""
    teams_policy: bool = False
    """True for the online-meeting APIs: app-only access also needs a Teams application access policy."""
    mailbox: bool = False
    """True for the calendar APIs: Exchange may restrict the app to some mailboxes (RBAC for Applications)."""


CALENDAR_READ = Need("read the organiser's calendar", "Calendars.ReadWrite", mailbox=True)
CALENDAR_WRITE = Need("put the Teams meeting in the organiser's calendar", "Calendars.ReadWrite", mailbox=True)
MEETING_WRITE = Need("make or change the online meeting", "OnlineMeetings.ReadWrite.All", teams_policy=True)
MEETING_READ = Need("find the online meeting by its join link",
                    "OnlineMeetings.Read.All (or OnlineMeetings.ReadWrite.All)", teams_policy=True)
ATTENDANCE = Need("read the meeting's attendance reports", "OnlineMeetingArtifact.Read.All", teams_policy=True)


def explain(status: int, code: str, message: str, need: Need, retry_after: float | None = None) -> str:
    """`Microsoft Graph refused to <action> (403 Forbidden: <message>) -> <what to do>`, one line."""
    said = _short(message)
    if status == 0:
        return (f"cannot reach Microsoft Graph to {need.action} ({said}) -> check [teams] graph_url and this "
                "machine's connection")
    detail = f"{status} {code}" + (f": {said}" if said else "")
    return f"Microsoft Graph refused to {need.action} ({detail}) -> {_fix(status, code, message, need, retry_after)}"


def _fix(status: int, code: str, message: str, need: Need, retry_after: float | None) -> str:
    lowered = message.lower()
    if status == 401:
        return ("check [oauth] tenant and client_id, and that an admin granted consent for the app's Microsoft "
                "Graph application permissions")
    if status == 403:
        return _forbidden(lowered, need)
    if status == 404:
        if code in ("ErrorInvalidUser", "Request_ResourceNotFound", "ResourceNotFound") or "user" in lowered:
            return "check [teams] organiser (the organiser's Entra object ID or user principal name)"
        return "it was deleted or never existed in Teams (link another meeting: bulletin-tui sessions teams-link)"
    if status == 429:
        wait = f" (Graph asked to wait {retry_after:.0f} s)" if retry_after is not None else ""
        return f"Graph is throttling this app{wait}: try again later (the worker does by itself)"
    if status >= 500:
        return "Microsoft Graph is having problems: try again later (the worker does by itself)"
    return "this request was not accepted as it is; see docs/microsoft-365.md"


def _forbidden(lowered: str, need: Need) -> str:
    if "application access policy" in lowered:
        return TEAMS_POLICY.replace("must also grant", "must grant")
    grant = (f"grant the app the Microsoft Graph application permission {need.permission} (Entra ID > App "
             "registrations > API permissions, then Grant admin consent)")
    if need.mailbox:
        return (f"{grant}, or an Exchange RBAC for Applications role (Application Calendars.ReadWrite) scoped to "
                "the organiser's mailbox; an application access policy must include that mailbox")
    if need.teams_policy:
        return f"{grant}; {TEAMS_POLICY}"
    return grant


def _short(message: str, limit: int = 160) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
