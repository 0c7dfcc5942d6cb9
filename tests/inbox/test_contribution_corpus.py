"""The corpus of partners' e-mails read as draft items: titles, summaries, links, categories, dates and
attachments written out by hand for each file (tests/data/inbox/contributions/)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tui.domain.bulletins import BulletinItem, Category
from bulletin_tui.mailbox.contribution import SUMMARY_LIMIT, Attachment, clean_subject, extract, guess_category
from bulletin_tui.mailbox.dates import closing_date
from bulletin_tui.mailbox.htmltext import html_to_text, strip_markers
from bulletin_tui.mailbox.links import clean_link, find_links
from bulletin_tui.mailbox.message import parse_mail

CONTRIBUTIONS = Path(__file__).parents[1] / "data" / "inbox" / "contributions"

EXPECTED = {
    "plain-update.eml": dict(
        title="Alcohol Awareness Week - Know Your Score",
        summary="Alcohol Awareness Week runs from 16 to 22 November. Partners are asked to share the 'Know Your "
        "Score' quiz, which helps people check their drinking in a couple of minutes: "
        "https://www.kent.gov.uk/knowyourscore.",
        links=["https://www.kent.gov.uk/knowyourscore"],  # the signature's and the disclaimer's links left out
        category=Category.CAMPAIGN,
        closing_date=None,
        contact=("Jordan Example (Kent Police)", "jordan.example@east.kent-police.example"),
        attachments=[],
    ),
    "html-only.eml": dict(
        title="Safer Streets small grants open",
        summary="Community groups can now bid for Safer Streets small grants of up to £5,000 for projects that "
        "reduce neighbourhood crime. The closing date for bids is 29 January 2027. Full details are on "
        "the grants page.",
        # the Outlook safe link unwrapped and its utm_ parameter dropped; mailto and unsubscribe left out
        links=["https://www.example.org/safer-streets-grants?round=6", "https://www.example.org/safer-streets-faq"],
        category=Category.FUNDING,
        closing_date=date(2027, 1, 29),
        contact=("Sam Sample", "sam.sample@kent-cc.example"),
        attachments=[],
    ),
    "forwarded.eml": dict(
        title="Hate Crime Awareness Week 2027 toolkit",
        summary="The Hate Crime Awareness Week 2027 toolkit is now available for partners, with template posts, "
        "posters and a briefing for frontline staff: <https://www.example.org/hcaw-2027-toolkit>",
        links=["https://www.example.org/hcaw-2027-toolkit"],  # the forwarded sender's signature link left out
        category=Category.CAMPAIGN,
        closing_date=None,
        contact=("Alex Demo", "alex.demo@swale.example"),
        attachments=[],
    ),
    "signature-quoted.eml": dict(
        title="Suicide prevention training for district ASB officers",
        summary="Yes - our free suicide prevention awareness training for frontline staff runs online on 14 "
        "January and 11 February 2027. Places can be booked at https://www.example.org/amparo-training "
        "(and referrals are still made at https://www.amparo.org.uk/refer/).",
        links=["https://www.example.org/amparo-training", "https://www.amparo.org.uk/refer/"],  # not the quote's
        category=Category.TRAINING,
        closing_date=None,
        contact=("Morgan Specimen", "Morgan.Specimen@amparo.example"),
        attachments=[],
    ),
    "pdf-attachment.eml": dict(
        title="Safeguarding Adult Review published",
        summary="The Kent and Medway Safeguarding Adults Board has published a new Safeguarding Adult Review, "
        "with a seven-minute briefing for practitioners (attached) and the full report at "
        "https://www.example.org/kmsab-sar-2026.",
        links=["https://www.example.org/kmsab-sar-2026"],
        category=Category.PUBLICATION,
        closing_date=None,
        contact=("Priya Placeholder", "priya.placeholder@kmsab.example"),
        attachments=[Attachment("SAR seven-minute briefing.pdf", "application/pdf", 326)],
    ),
    "gmail-html-reply.eml": dict(
        title="Dry January 2027 resources",
        summary="KCC Public Health will promote Dry January again, with a free app and daily emails for anyone "
        "cutting down: sign up here.",
        links=["https://www.example.org/dry-january"],  # utm_ parameters dropped; the quoted thread's link left out
        category=Category.NEWS,
        closing_date=None,
        contact=("Ola Sample", "ola.sample@kent-cc.example"),
        attachments=[],
    ),
    "outlook-forward.eml": dict(
        title="Neighbourhood Policing model launch",
        summary="The new Neighbourhood Policing model launches across Kent on 4 January 2027, with named officers "
        "and PCSOs for every ward. Find your local team at https://www.example.org/neighbourhood-teams",
        links=["https://www.example.org/neighbourhood-teams"],  # past the forwarder's note, banner and greeting
        category=Category.NEWS,
        closing_date=None,
        contact=("Demo, Robin", "Robin.Demo@east.kent-police.example"),
        attachments=[],
    ),
    "unknown-sender.eml": dict(
        title="Free webinar on youth violence for your bulletin",
        summary="Our free webinar on youth violence runs on 20 January 2027: "
        "https://www.example.org/youth-violence-webinar",
        links=["https://www.example.org/youth-violence-webinar"],
        category=Category.TRAINING,
        closing_date=None,
        contact=("Casey Stranger", "casey@unregistered-agency.example"),
        attachments=[],
    ),
}


def test_every_corpus_file_has_expectations() -> None:
    assert sorted(p.name for p in CONTRIBUTIONS.glob("*.eml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_becomes_the_expected_draft(name: str) -> None:
    want = EXPECTED[name]
    found = extract(parse_mail((CONTRIBUTIONS / name).read_bytes()))
    assert found.title == want["title"]
    assert found.summary == want["summary"]
    assert found.links == want["links"]
    assert found.category is want["category"]
    assert found.closing_date == want["closing_date"]
    assert (found.contact_name, found.contact_email) == want["contact"]
    assert found.attachments == want["attachments"]


def test_a_pdf_attachment_size_is_its_decoded_size() -> None:
    raw = (CONTRIBUTIONS / "pdf-attachment.eml").read_bytes()
    message = parse_mail(raw).message
    pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    payload = pdf.get_payload(decode=True)
    assert isinstance(payload, bytes) and payload.startswith(b"%PDF-") and len(payload) == 326


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("RE: FW: [EXTERNAL] Fwd: Item for the bulletin: Safer Streets Fund", "Safer Streets Fund"),
        ("[OFFICIAL] Re: Hate Crime Awareness Week toolkit", "Hate Crime Awareness Week toolkit"),
        ("EXTERNAL: Re[2]: e-Bulletin item: Dry January", "Dry January"),
        ("*EXTERNAL* AW: Knife crime week of action", "Knife crime week of action"),
        ("Re:", ""),
    ],
)
def test_subject_tags_are_stripped(subject: str, title: str) -> None:
    assert clean_subject(subject) == title


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("The closing date for bids is 31 January 2027. Thanks", None, date(2027, 1, 31)),
        ("Bids close on 12/02/2027 at noon", None, date(2027, 2, 12)),
        ("The deadline is Friday 5th March.", date(2026, 12, 1), date(2027, 3, 5)),
        ("Apply by 2027-03-05", None, date(2027, 3, 5)),
        ("We met on 3 March 2026. The deadline: 4 July", date(2026, 5, 1), date(2026, 7, 4)),
        ("The event is on 14 January 2027, all welcome", None, None),  # a date, but no closing cue
        ("The deadline is 5th March", None, None),  # no year and no date to count from
    ],
)
def test_closing_dates_stated_plainly(text: str, reference: date | None, expected: date | None) -> None:
    assert closing_date(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Crime Reduction Grant: project proposals welcome", Category.FUNDING),
        ("Free CPD webinar for licensing officers", Category.TRAINING),
        ("16 Days of Action against domestic abuse", Category.CAMPAIGN),
        ("New guidance on the Serious Violence Duty", Category.PUBLICATION),
        ("Neighbourhood policing model launched in Ashford", Category.NEWS),
    ],
)
def test_category_guesses(text: str, category: Category) -> None:
    assert guess_category(text) is category


def test_links_are_cleaned_and_unwanted_ones_dropped() -> None:
    text = (
        "See https://www.example.org/a?utm_source=x&id=3, https://www.example.org/a?id=3 again "
        "(https://www.example.org/wiki/Thing_(x)) and https://www.example.org/newsletter/unsubscribe?u=1 "
        "or https://click.example.org/track/click?u=2 and mailto:someone@example.org."
    )
    assert find_links(text) == ["https://www.example.org/a?id=3", "https://www.example.org/wiki/Thing_(x)"]
    assert clean_link("https://www.google.com/url?q=https://www.example.org/x&sa=D") == "https://www.example.org/x"
    assert clean_link("javascript:alert(1)") is None


def test_html_becomes_paragraphs_with_quotes_marked_and_links_kept() -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Hi all,</p><p>&nbsp;</p>"
        "<p>The new <a href='https://www.example.org/t'>toolkit</a> is out.<br>Second line</p>"
        "<blockquote><p>old text</p></blockquote><ul><li>one</li><li>two</li></ul></body></html>"
    )
    text = html_to_text(html)
    assert strip_markers(text) == "Hi all,\n\nThe new toolkit is out.\nSecond line\n\n> old text\n\n- one\n- two"
    assert find_links(text) == ["https://www.example.org/t"]


@pytest.mark.parametrize("path", sorted((CONTRIBUTIONS.parent).glob("*.eml")), ids=lambda p: p.name)
def test_any_returned_message_reads_without_raising(path: Path) -> None:
    """Bounces, calendar replies and a broken MIME message: extraction keeps what it can and never raises."""
    found = extract(parse_mail(path.read_bytes()))
    assert len(found.title) <= 200 and len(found.summary) <= SUMMARY_LIMIT + 1
    assert all(link.startswith(("http://", "https://")) for link in found.links)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.text(max_size=200))
def test_arbitrary_text_never_breaks_extraction(body: str, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "someone@kent-police.example"
    message["Subject"] = " ".join(subject.split())[:150]
    message.set_content(body)
    found = extract(parse_mail(message.as_bytes()))
    assert "\x02" not in found.summary and "\x03" not in found.summary
    assert "\n" not in found.title and len(found.summary) <= SUMMARY_LIMIT + 1
    BulletinItem(
        id="draft",
        title=found.title,
        category=found.category,
        summary=found.summary,
        link=found.links[0] if found.links else None,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
