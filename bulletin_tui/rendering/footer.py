"""What every footer carries besides the team's contact details: the privacy notice link, and the warning when a
public body has not set one."""

from __future__ import annotations

from ..config import SenderSettings

PRIVACY_LINK_TEXT = "How we use your personal information (privacy notice)"
PRIVACY_NOTICE_MISSING = ("sender.privacy_notice_url is not set: a public body should link its privacy notice "
                          "from every e-mail and web page (UK GDPR articles 13 and 14)")


def privacy_notice_warnings(sender: SenderSettings) -> list[str]:
    """The warning `mail check` and `bulletin check` give while no privacy notice is linked (empty when set)."""
    return [] if sender.privacy_notice_url else [PRIVACY_NOTICE_MISSING]


def privacy_text_lines(url: str) -> list[str]:
    """The plain-text footer's privacy notice lines (the link alone on its own line), or none when not set."""
    return [f"{PRIVACY_LINK_TEXT}:", f"  {url}"] if url else []
