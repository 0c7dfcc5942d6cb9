"""One message per recipient, fast: the shared parts are encoded once, tokens are swapped in the bytes.

A `MessageTemplate` is built ONCE per issue (or per invite wording) from the subject, the inlined HTML, the plain
text, an optional calendar (put inside `multipart/alternative` and attached as `.ics`) and attachments. Each body
part is quoted-printable encoded once, split around the per-recipient tokens (plain ASCII such as `XBTNAMEX`, see
`rendering/personalise.py`); `render()` only encodes the few recipient values and joins bytes (≈ 0.1 ms for a
100 KB bulletin, against ≈ 1.2 ms for `email.generator`). The result is a standard MIME message with CRLF lines.

Tokens found in `html_values` are replaced in the HTML part, tokens in `text_values` in the subject, the text part
and the calendar parts. In the text part, a paragraph holding a token is refilled to 78 columns after substitution
(`textfit.py`), so a long name or address never makes an overlong line. HTML values must already be
HTML-escaped (`personal_values()` does that).
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..config import SenderSettings
from ..domain.clock import Clock, SystemClock
from ..domain.identity import envelope_address
from . import headers as h
from .textfit import TEXT_WIDTH, fit_paragraph, is_lone_url, paragraphs

CRLF = b"\r\n"
SOFT_BREAK = b"=\r\n"
_FIXED_HEADERS = {"from", "to", "subject", "mime-version", "content-type", "content-transfer-encoding"}


@dataclass(frozen=True)
class Attachment:
    """A file attached to every message (base64 encoded once)."""

    filename: str
    content_type: str
    data: bytes


def qp(data: str) -> bytes:
    """Quoted-printable bytes of text, CRLF line ends, lines ≤ 76 characters."""
    text = data.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", CRLF)


class _Part:
    """One text part: literal QP chunks with token slots between them, re-split when the token set changes."""

    def __init__(self, source: str, kind: str) -> None:
        self.source = source
        self.kind = kind
        self._split_for: frozenset[str] | None = None
        self._pieces: list[bytes | str] = []

    def pieces(self, tokens: frozenset[str]) -> list[bytes | str]:
        """Literal bytes and token names, in order; encoded once per distinct token set."""
        if tokens != self._split_for:
            self._pieces = self._split(tokens)
            self._split_for = tokens
        return self._pieces

    def _split(self, tokens: frozenset[str]) -> list[bytes | str]:
        present = sorted((t for t in tokens if t in self.source), key=len, reverse=True)
        if not present:
            return [qp(self.source)]
        pattern = re.compile("|".join(re.escape(t) for t in present))
        pieces: list[bytes | str] = []
        position = 0
        for match in pattern.finditer(self.source):
            lead = SOFT_BREAK if position else b""
            pieces.append(lead + qp(self.source[position : match.start()]) + SOFT_BREAK)
            pieces.append(match.group(0))
            position = match.end()
        pieces.append(SOFT_BREAK + qp(self.source[position:]))
        return pieces


class _FittedText(_Part):
    """The plain-text part: paragraphs holding tokens are slots, refilled to 78 columns once personalised."""

    def _split(self, tokens: frozenset[str]) -> list[bytes | str]:
        pieces: list[bytes | str] = []
        static = slot = ""
        for paragraph in paragraphs(self.source):
            if any(token in paragraph for token in tokens) or (slot and not paragraph.strip()):
                pieces += [qp(static)] if static else []
                static, slot = "", slot + paragraph
            else:
                pieces += [_Slot(slot, tokens)] if slot else []
                static, slot = static + paragraph, ""
        return pieces + ([qp(static)] if static else []) + ([_Slot(slot, tokens)] if slot else [])


class _Slot(str):
    """Paragraphs of the text part to personalise per recipient (refilled only when a line became too long)."""

    present: tuple[str, ...]
    longest: int

    def __new__(cls, text: str, tokens: frozenset[str]) -> _Slot:
        slot = super().__new__(cls, text)
        slot.present = tuple(token for token in tokens if token in text)
        slot.longest = max(map(len, text.split("\n")))
        return slot

    def fill(self, values: Mapping[str, str]) -> bytes:
        text = str(self)
        for token in self.present:
            text = text.replace(token, values[token])
        if self.longest + len(text) - len(self) > TEXT_WIDTH and any(
                len(line) > TEXT_WIDTH and not is_lone_url(line) for line in text.split("\n")):
            text = "".join(map(fit_paragraph, paragraphs(text)))
        return qp(text)


def _encode_value(value: str) -> bytes:
    return qp(value)


class MessageTemplate:
    """The shared, pre-encoded body of a mailing; `render()` makes each recipient's message bytes."""

    def __init__(
        self,
        *,
        subject: str,
        html: str,
        text: str,
        sender: SenderSettings,
        calendar: bytes | None = None,
        calendar_method: str = "REQUEST",
        calendar_filename: str = "invite.ics",
        attachments: Sequence[Attachment] = (),
        list_id: str = "",
        clock: Clock | None = None,
    ) -> None:
        self.subject = subject
        self.sender = sender
        self.clock = clock or SystemClock()
        self.domain = h.sender_domain(sender.from_address)
        self._from = h.mailbox("From", sender.team_name, sender.from_address)
        self._reply_to = h.single_address("Reply-To", sender.reply_to) if sender.reply_to else ""
        self._list_id = h.checked("List-Id", list_id)
        self._method = h.checked("method", calendar_method.upper()) if calendar else ""
        self._calendar_filename = h.checked("filename", calendar_filename)
        self._text = _FittedText(text, "text")
        self._html = _Part(html, "html")
        self._calendar = _Part(calendar.decode("utf-8"), "text") if calendar else None
        self._attachments = [self._encode_attachment(a) for a in attachments]
        self._mixed = self._calendar is not None or bool(self._attachments)
        tag = uuid.uuid4().hex
        self._alt_boundary = f"=_alt_{tag}".encode()
        self._mixed_boundary = f"=_mix_{tag}".encode()

    def render(
        self,
        to: str,
        html_values: Mapping[str, str],
        text_values: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The complete message for one recipient (CRLF line ends), or HeaderInjectionError."""
        head = self._head(to, text_values, headers or {})
        return b"".join([head, *self._body(html_values, text_values)])

    def _head(self, to: str, text_values: Mapping[str, str], extra: Mapping[str, str]) -> bytes:
        subject = self.subject
        for token, value in text_values.items():
            if token in subject:
                subject = subject.replace(token, value)
        lines = [f"From: {self._from}", f"To: {h.single_address('To', envelope_address(to))}"]
        if self._reply_to:
            lines.append(f"Reply-To: {self._reply_to}")
        lines.append(f"Subject: {h.encode_text('Subject', subject)}")
        lines.append(f"Date: {h.checked('Date', extra.get('Date') or h.date_header(self.clock.now()))}")
        lines.append(f"Message-ID: {h.checked('Message-ID', extra.get('Message-ID') or h.message_id(self.domain))}")
        if self._list_id:
            lines.append(f"List-Id: {self._list_id}")
        for name, value in extra.items():
            if name.lower() in _FIXED_HEADERS:
                raise h.HeaderInjectionError(f"header {name} is set by the message builder")
            if name not in ("Date", "Message-ID"):
                lines.append(f"{name}: {h.encode_text(name, value)}")
        lines.append("MIME-Version: 1.0")
        if self._mixed:
            lines.append(f'Content-Type: multipart/mixed; boundary="{self._mixed_boundary.decode()}"')
        else:
            lines.append(f'Content-Type: multipart/alternative; boundary="{self._alt_boundary.decode()}"')
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def _body(self, html_values: Mapping[str, str], text_values: Mapping[str, str]) -> list[bytes]:
        out: list[bytes] = []
        if self._mixed:
            out += [b"--", self._mixed_boundary, CRLF]
            out += [b'Content-Type: multipart/alternative; boundary="', self._alt_boundary, b'"', CRLF, CRLF]
        self._add_part(out, b"text/plain; charset=utf-8", self._text, text_values)
        self._add_part(out, b"text/html; charset=utf-8", self._html, html_values)
        if self._calendar is not None:
            kind = f"text/calendar; charset=utf-8; method={self._method}".encode()
            self._add_part(out, kind, self._calendar, text_values)
        out += [b"--", self._alt_boundary, b"--", CRLF]
        if self._mixed:
            if self._calendar is not None:
                out += [b"--", self._mixed_boundary, CRLF]
                out.append(
                    f'Content-Type: application/ics; name="{self._calendar_filename}"\r\n'
                    f'Content-Disposition: attachment; filename="{self._calendar_filename}"\r\n'
                    "Content-Transfer-Encoding: quoted-printable\r\n\r\n".encode()
                )
                out += self._fill(self._calendar, text_values)
                out.append(CRLF)
            for encoded in self._attachments:
                out += [b"--", self._mixed_boundary, CRLF, encoded]
            out += [b"--", self._mixed_boundary, b"--", CRLF]
        return out

    def _add_part(self, out: list[bytes], kind: bytes, part: _Part, values: Mapping[str, str]) -> None:
        out += [b"--", self._alt_boundary, CRLF, b"Content-Type: ", kind, CRLF]
        out.append(b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        out += self._fill(part, values)
        out.append(CRLF)

    @staticmethod
    def _fill(part: _Part, values: Mapping[str, str]) -> list[bytes]:
        pieces = part.pieces(frozenset(values))
        return [p if isinstance(p, bytes) else p.fill(values) if isinstance(p, _Slot) else _encode_value(values[p])
                for p in pieces]

    @staticmethod
    def _encode_attachment(attachment: Attachment) -> bytes:
        name = h.checked("filename", attachment.filename).replace('"', "")
        kind = h.checked("Content-Type", attachment.content_type)
        body = base64.encodebytes(attachment.data).replace(b"\n", CRLF)
        if name.isascii():
            head = (
                f'Content-Type: {kind}; name="{name}"\r\nContent-Disposition: attachment; filename="{name}"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n"
            )
        else:  # RFC 2231: "Attendee pack – November.pdf" stays as named in every client, headers stay ASCII
            encoded = "utf-8''" + quote(name, safe="")
            head = (
                f"Content-Type: {kind}; name*={encoded}\r\nContent-Disposition: attachment; filename*={encoded}\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
            )
        return head.encode() + body
