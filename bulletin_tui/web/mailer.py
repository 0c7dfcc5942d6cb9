"""Confirmation e-mails (double opt-in), sent through the same transport as everything else (outbox or SMTP)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from ..config import Settings
from ..sending.transport import Delivery, make_transport


def confirmation_message(settings: Settings, to: str, subject: str, intro: str, link: str) -> bytes:
    sender = settings.sender
    message = EmailMessage()
    message["From"] = formataddr((sender.team_name, sender.from_address))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.identity_domain)  # list_id_domain, else From's domain
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(f"{intro}\n\nTo confirm, open this link within 48 hours:\n{link}\n\nIf you did not ask for "
                        f"this, ignore this message: nothing happens until the link is followed.\n\n"
                        f"{sender.team_name}\n{sender.telephone}\n")
    return message.as_bytes()


async def send_confirmation(settings: Settings, to: str, subject: str, intro: str, link: str) -> Delivery:
    transport = make_transport(settings, settings.data_dir)
    try:
        return await transport.deliver(settings.sender.from_address, to,
                                       confirmation_message(settings, to, subject, intro, link))
    finally:
        await transport.close()
