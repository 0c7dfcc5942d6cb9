"""Auto-replies (out of office, vacation, autoresponders): counted, filed, never acted on (RFC 3834)."""

from __future__ import annotations

from .message import Mail, header

_SUBJECT_PREFIXES = ("automatic reply:", "auto reply:", "autoreply:", "out of office:", "out of the office:",
                     "réponse automatique", "abwesenheitsnotiz")


def auto_reply_reason(mail: Mail) -> str:
    """Why this message is an automatic reply, or '' when it is not one."""
    message = mail.message
    auto_submitted = header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-MS-Exchange-Inbox-Rules-Loop"):
        if header(message, name):
            return f"{name} header"
    if "oof" in header(message, "X-Auto-Response-Suppress").lower():
        return "X-Auto-Response-Suppress"
    if header(message, "Precedence").strip().lower() in ("auto_reply", "bulk", "junk"):
        return f"Precedence: {header(message, 'Precedence').strip().lower()}"
    subject = mail.subject.lower()
    for prefix in _SUBJECT_PREFIXES:
        if subject.startswith(prefix):
            return f"subject starts {prefix!r}"
    return ""
