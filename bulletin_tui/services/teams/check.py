"""`mail check` for Teams through Graph: a fresh token for Microsoft Graph, then one probe per thing the app must be
allowed to do, each on its own line, so every permission problem is named at once (not only the first).

- token: asked of Entra ID afresh (never the cache); the Graph application permissions it carries are shown.
- permissions: each one Entra ID must grant that the token lacks (OnlineMeetings.*, OnlineMeetingArtifact.Read.All)
  is one line. Calendars.ReadWrite is not judged from the token: Exchange RBAC for Applications grants it without
  Entra ID, so only the calendar probe can tell.
- calendar (create_with = "event"): read the organiser's calendar and whether it offers Teams meetings (a licence).
- online meetings: look a meeting up by join link: refused without the Teams application access policy.
- attendance reports: ask for a meeting's reports: refused without OnlineMeetingArtifact.Read.All or the policy.
Nothing is created or changed. A probe of a meeting that does not exist is answered 404 (or 400) when the app is
allowed in; only 401 and 403 count as problems.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

from ...config import Settings
from ...domain.errors import DomainError
from ...sending.xoauth2 import AccessToken
from ..mailauth.steps import CheckStep
from .explain import ATTENDANCE, CALENDAR_READ, MEETING_READ, TEAMS_POLICY, Need
from .graph import GraphClient, GraphError, odata_filter, user_path
from .wiring import graph_tokens, organiser

SERVICE = "teams"
PROBE_JOIN_URL = "https://teams.microsoft.com/l/meetup-join/bulletin-tui-check"
PROBE_MEETING_ID = "bulletin-tui-check"
ENTRA_ONLY = {"online_meeting": ["OnlineMeetings.ReadWrite.All", "OnlineMeetingArtifact.Read.All"],
              "event": ["OnlineMeetings.Read.All|OnlineMeetings.ReadWrite.All", "OnlineMeetingArtifact.Read.All"]}


def teams_steps(settings: Settings, data_dir: Path | None = None, *,
                graph: GraphClient | None = None) -> list[CheckStep]:
    """The Graph steps of `mail check` ([teams] organiser set); nothing is created or changed."""
    steps: list[CheckStep] = []
    try:
        who = organiser(settings)
        provider = graph_tokens(settings, data_dir)
        token = provider.fresh()
    except DomainError as exc:
        return [CheckStep(SERVICE, "token", False, f"Microsoft Graph: {exc}", _token_fix(str(exc)))]
    roles = token_roles(token)
    minutes = max(0, int((token.expires_at - time.time()) // 60))
    shown = ", ".join(roles) if roles is not None else "not readable from the token"
    steps.append(CheckStep(SERVICE, "token", True, f"Microsoft Graph token, valid for {minutes} more minutes; "
                                                   f"application permissions: {shown or 'none'}"))
    steps += _missing_permissions(settings.teams.create_with, roles)
    client = graph or GraphClient(settings.teams.graph_url, lambda: token, timeout=settings.teams.timeout,
                                  max_retries=1)
    if settings.teams.create_with == "event":
        steps.append(_calendar(client, who))
    steps.append(_probe(client, "online meetings", f"{user_path(who)}/onlineMeetings", MEETING_READ,
                        odata_filter("JoinWebUrl", PROBE_JOIN_URL),
                        "the app may find the organiser's online meetings (Teams application access policy)"))
    steps.append(_probe(client, "attendance reports",
                        f"{user_path(who)}/onlineMeetings/{PROBE_MEETING_ID}/attendanceReports", ATTENDANCE, "",
                        "the app may read the organiser's attendance reports"))
    return steps


def token_roles(token: AccessToken) -> list[str] | None:
    """The `roles` claim of a JWT access token (the app permissions Entra ID granted), or None if unreadable."""
    parts = token.token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims: Any = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    roles = claims.get("roles", []) if isinstance(claims, dict) else None
    return sorted(str(r) for r in roles) if isinstance(roles, list) else None


def _missing_permissions(create_with: str, roles: list[str] | None) -> list[CheckStep]:
    if roles is None:
        return []
    found = []
    for wanted in ENTRA_ONLY.get(create_with, []):
        choices = wanted.split("|")
        if not set(choices) & set(roles):
            named = " or ".join(choices)
            found.append(CheckStep(SERVICE, "permissions", False, (
                f"the app has no Microsoft Graph application permission {named} -> grant it (Entra ID > App "
                f"registrations > API permissions > Microsoft Graph > Application permissions), then Grant admin "
                f"consent"), f"grant {named} and admin consent"))
    return found


def _calendar(client: GraphClient, who: str) -> CheckStep:
    query = "$select=allowedOnlineMeetingProviders,defaultOnlineMeetingProvider"
    try:
        calendar = client.get(f"{user_path(who)}/calendar", CALENDAR_READ, query=query)
    except GraphError as exc:
        return CheckStep(SERVICE, "calendar", False, str(exc), _fix_of(exc))
    offered = [str(p) for p in calendar.get("allowedOnlineMeetingProviders") or []]
    if "teamsForBusiness" not in offered:
        return CheckStep(SERVICE, "calendar", False, (
            f"{who}'s calendar offers no Teams meetings (providers: {', '.join(offered) or 'none'}) -> the "
            "organiser needs a Teams licence (a shared mailbox has none): use a licensed account as [teams] "
            "organiser"), "use a Teams-licensed account as [teams] organiser")
    return CheckStep(SERVICE, "calendar", True, f"{who}'s calendar can hold Teams meetings")


def _probe(client: GraphClient, step: str, path: str, need: Need, query: str, allowed: str) -> CheckStep:
    try:
        client.get(path, need, query=query)
    except GraphError as exc:
        if not exc.permission_problem and exc.status in (400, 404):
            return CheckStep(SERVICE, step, True, allowed)
        return CheckStep(SERVICE, step, False, str(exc), _fix_of(exc))
    return CheckStep(SERVICE, step, True, allowed)


def _fix_of(exc: GraphError) -> str:
    return str(exc).partition(" -> ")[2] or TEAMS_POLICY


def _token_fix(message: str) -> str:
    if "[teams]" in message or "[oauth]" in message:
        return "see docs/microsoft-365.md, \"Teams meetings through Microsoft Graph\""
    return message.partition("->")[2].strip() or "check [oauth] and the app registration (docs/microsoft-365.md)"
