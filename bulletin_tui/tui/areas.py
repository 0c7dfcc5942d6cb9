"""The six areas of the app (modes), their keys and names: one list the app, the area bar and help share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    mode: str
    key: str
    name: str


AREAS = (
    Area("dashboard", "1", "Dashboard"),
    Area("subscribers", "2", "Subscribers"),
    Area("bulletin", "3", "Bulletin"),
    Area("sessions", "4", "Sessions"),
    Area("send", "5", "Send"),
    Area("inbox", "6", "Inbox"),
)
