"""A reply, forward or auto-reply that quotes the bulletin carries its unsubscribe link: that is never the person
asking to leave. Only their own words (or the List-Unsubscribe mailto's subject) unsubscribe; a token found only in
quoted, forwarded or returned text sends the message to review, and a partner's request in it is kept."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import body_text, parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context, apply
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState
from bulletin_tui.services.subscribers.tokens import find_tokens, unsubscribe_token

from .conftest import READERS

PERSON = READERS[1]
FOOTER = ("You are receiving this because you subscribed to the Community Safety e-Bulletin.\n"
          "Unsubscribe from this list:\n  https://kcst.example.org/u/{token}\n")
BULLETIN = "Community Safety e-Bulletin, December 2026\n\nLegislation and policy\n...\n\n" + FOOTER


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


SHAPES = {
    # Outlook (desktop, plain text): own words, then the reply header block, then the bulletin unquoted
    "outlook reply": ("Hi team,\n\nCould you include our Safer Streets event in the next issue? Details below.\n\n"
                      "Kind regards\nTaylor\n\n________________________________\n"
                      "From: Kent Community Safety Team <kentcommunitysafetyteam@kent.gov.uk>\n"
                      "Sent: 04 December 2026 10:02\nTo: Taylor Reader <{person}>\n"
                      "Subject: Community Safety e-Bulletin, December 2026\n\n" + BULLETIN),
    # Gmail: "On ... wrote:" then the bulletin quoted with "> "
    "gmail reply": ("Thanks, please add my colleague sam@ashford.example to the list.\n\n"
                    "On Fri, 4 Dec 2026 at 10:02, Kent Community Safety Team <kentcommunitysafetyteam@kent.gov.uk> "
                    "wrote:\n\n" + _quoted(BULLETIN)),
    # Gmail forward
    "gmail forward": ("FYI, worth a read.\n\n---------- Forwarded message ---------\n"
                      "From: Kent Community Safety Team <kentcommunitysafetyteam@kent.gov.uk>\n"
                      "Date: Fri, 4 Dec 2026 at 10:02\nSubject: Community Safety e-Bulletin, December 2026\n"
                      "To: <{person}>\n\n" + BULLETIN),
    # a header-less autoresponder that quotes what it answers
    "autoresponder quoting": ("I am away until 4 January with limited access to e-mail.\n\n"
                              "Your message reads:\n\n" + BULLETIN),
    # an MTA returning the original inline, Exim style, without a delivery report
    "inline returned original": ("This message was created automatically by mail delivery software.\n\n"
                                 "A message that you sent could not be delivered to one or more of its recipients.\n"
                                 "------ This is a copy of the message, including all the headers. ------\n\n"
                                 "Subject: Community Safety e-Bulletin, December 2026\n\n" + BULLETIN),
}


def _message(ctx: AppContext, body: str, *, subject: str = "RE: Community Safety e-Bulletin, December 2026") -> bytes:
    token = unsubscribe_token(ctx, PERSON, "e-bulletin")
    message = EmailMessage()
    message["From"], message["To"] = PERSON, "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = subject, "<reply-1@ashford.example>"
    message.set_content(body.format(token=token, person=PERSON))
    return message.as_bytes()


def _still_subscribed(ctx: AppContext) -> bool:
    person = ctx.store.subscribers.get(PERSON)
    return person is not None and person.is_subscribed("e-bulletin")


def _apply(ctx: AppContext, raw: bytes) -> tuple[Kind, MessageState]:
    mail = parse_mail(raw)
    found = classify(mail, find_tokens)
    return found.kind, apply(Context(app=ctx, sent=sent_index(ctx)), mail, found, "reply-1").state


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_quoted_footer_never_unsubscribes(inbox_ctx: AppContext, shape: str) -> None:
    raw = _message(inbox_ctx, SHAPES[shape])
    assert find_tokens(body_text(parse_mail(raw))), "the shape must carry a real token"
    kind, state = _apply(inbox_ctx, raw)
    assert kind is Kind.OTHER and state is MessageState.REVIEW
    assert _still_subscribed(inbox_ctx)
    assert "only in quoted, forwarded or returned text" in classify(parse_mail(raw), find_tokens).reason


def test_an_html_only_reply_with_the_bulletin_in_a_blockquote_does_not_unsubscribe(inbox_ctx: AppContext) -> None:
    token = unsubscribe_token(inbox_ctx, PERSON, "e-bulletin")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = PERSON, "kentcommunitysafetyteam@kent.gov.uk", "RE: bulletin"
    message.set_content("<html><body><p>Please include the attached flyer next month.</p><blockquote>"
                        "<p>Community Safety e-Bulletin</p><p><a href=\"https://kcst.example.org/u/" + token +
                        "\">Unsubscribe from this list</a></p></blockquote></body></html>", subtype="html")
    assert _apply(inbox_ctx, message.as_bytes())[0] is Kind.OTHER and _still_subscribed(inbox_ctx)


def test_a_forward_as_attachment_does_not_unsubscribe(inbox_ctx: AppContext) -> None:
    inner = parse_mail(_message(inbox_ctx, BULLETIN, subject="Community Safety e-Bulletin, December 2026")).message
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = PERSON, "kentcommunitysafetyteam@kent.gov.uk", "FW: bulletin"
    outer.set_content("Forwarding as asked.")
    outer.add_attachment(inner)
    assert _apply(inbox_ctx, outer.as_bytes())[0] is Kind.OTHER and _still_subscribed(inbox_ctx)


@pytest.mark.parametrize("body", ["Please unsubscribe me.\n\nThanks\nTaylor\n\n" + _quoted(BULLETIN),
                                  "unsubscribe\n", "Unsubscribe {token}\n"])
def test_the_persons_own_words_still_unsubscribe(inbox_ctx: AppContext, body: str) -> None:
    kind, state = _apply(inbox_ctx, _message(inbox_ctx, body, subject="Re: Community Safety e-Bulletin"))
    assert kind is Kind.UNSUBSCRIBE, state


def test_the_list_unsubscribe_mailto_subject_still_unsubscribes(inbox_ctx: AppContext) -> None:
    token = unsubscribe_token(inbox_ctx, PERSON, "e-bulletin")
    kind, state = _apply(inbox_ctx, _message(inbox_ctx, "", subject=f"unsubscribe {token}"))
    assert kind is Kind.UNSUBSCRIBE and state is MessageState.APPLIED and not _still_subscribed(inbox_ctx)
