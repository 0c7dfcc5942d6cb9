"""Partners' e-mails through a real Dovecot: `inbox fetch` offers each as a draft item (an unknown sender's stays
ordinary review mail), `inbox show` / `accept` / `dismiss` decide, and the accepted item is rendered in a bulletin."""

from __future__ import annotations

import email
import imaplib
import json
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.inbox.drafts import drafts_table
from bulletin_tui.services.inbox.fetch import fetch_inbox
from bulletin_tui.services.inbox.records import MessageState, inbox_messages
from bulletin_tui.services.partners.registry import add_partner

from ..conftest import CliRun
from ..errors.helpers import fingerprint, one_line_error, run_main
from .conftest import TeamMailbox as Dovecot
from .test_cli import inbox_cli as inbox_cli  # noqa: F401 - the fixture

CONTRIBUTIONS = Path(__file__).parents[1] / "data" / "inbox" / "contributions"
PARTNERS = [
    ("Kent Police", "--domain", "kent-police.example"),
    ("Kent County Council (KCC)", "--domain", "kent-cc.example"),
    ("Local District/Borough Community Safety Partnerships (CSPs)", "--domain", "swale.example"),
    ("AMPARO", "--address", "morgan.specimen@amparo.example"),
    ("Kent and Medway Safeguarding Adults Board (KMSAB)", "--domain", "kmsab.example"),
]


def queue_number(cli: CliRun, subject_words: str) -> str:
    lines = [line for line in cli("inbox", "review").splitlines() if line[:4].strip().rstrip(".").isdigit()]
    return next(line.split(".")[0].strip() for line in lines if subject_words in line)


@pytest.fixture
def delivered(inbox_ctx: AppContext, dovecot: Dovecot, inbox_cli: CliRun) -> CliRun:  # noqa: F811
    for name, flag, value in PARTNERS:
        inbox_cli("partners", "add", name, flag, value)
    for path in sorted(CONTRIBUTIONS.glob("*.eml")):
        dovecot.deliver(path.read_bytes())
    return inbox_cli


def test_fetch_offers_drafts_accept_renders_in_a_bulletin(
    inbox_ctx: AppContext, dovecot: Dovecot, delivered: CliRun, tmp_path: Path
) -> None:
    cli = delivered
    dry = cli("inbox", "fetch", "--dry-run", code=6)  # read-only: kinds without effects, drafts included
    assert dry.startswith("Would handle 8 message(s) in INBOX: 7 contribution, 1 other")
    out = cli("inbox", "fetch", code=6)
    assert "Handled 8 message(s) in INBOX: 7 contribution, 1 other" in out
    assert "draft item from Kent Police: Alcohol Awareness Week - Know Your Score" in out
    assert "8 message(s) wait for review" in out
    assert cli("inbox", "fetch", code=6).startswith("Handled 0 message(s)")  # exactly once: filed, not re-read
    review_folder = dovecot.maildir / ".bulletin-tui.needs-review"
    assert len([p for p in review_folder.glob("*/*") if p.parent.name in ("cur", "new")]) == 8

    assert "-> draft item (inbox show" in cli("inbox", "review")
    number = queue_number(cli, "Alcohol Awareness Week")
    shown = cli("inbox", "show", number)
    assert "Title:        Alcohol Awareness Week - Know Your Score" in shown
    assert "Link:         https://www.kent.gov.uk/knowyourscore" in shown and ", Kent Police" in shown
    accepted = cli("inbox", "accept", number)
    assert accepted.startswith("Added item alcohol-awareness-week-know-your-score to the backlog")
    backlog = json.loads(cli("bulletin", "backlog", "--json"))
    assert [(i["id"], i["category"], i["source_organisation"], i["link"]) for i in backlog] == [
        ("alcohol-awareness-week-know-your-score", "campaign", "Kent Police", "https://www.kent.gov.uk/knowyourscore")
    ]

    accepted_id = next(line.split()[0] for line in cli("inbox", "log").splitlines() if " accepted " in line)
    assert "item alcohol-awareness-week-know-your-score removed" in cli("inbox", "undo", accepted_id)
    assert json.loads(cli("bulletin", "backlog", "--json")) == []  # taken back; the draft waits again
    number = queue_number(cli, "Alcohol Awareness Week")
    assert cli("inbox", "accept", number).startswith("Added item alcohol-awareness-week-know-your-score to")

    stranger = queue_number(cli, "youth violence")
    assert "not a draft item" in one_line_error(run_main(cli.data_dir, "inbox", "accept", stranger))
    cli("inbox", "dismiss", stranger)

    cli("bulletin", "new", "2026-12")
    cli("bulletin", "assign", "2026-12", "alcohol-awareness-week-know-your-score")
    grants = queue_number(cli, "Safer Streets")
    assert "to issue 2026-12" in cli("inbox", "accept", grants, "--next", "--category", "funding")
    rendered = tmp_path / "rendered"
    cli("bulletin", "render", "2026-12", "--out", str(rendered))
    html = (rendered / "issue.html").read_text(encoding="utf-8")
    text = (rendered / "issue.txt").read_text(encoding="utf-8")
    assert "Alcohol Awareness Week - Know Your Score" in html and 'href="https://www.kent.gov.uk/knowyourscore"' in html
    assert "Partners are asked to share the" in " ".join(text.split())
    assert "Safer Streets small grants open" in text and "https://www.example.org/safer-streets-grants?round=6" in text
    assert "Kent County Council (KCC)" in html

    with open_context(inbox_ctx.settings, read_only=True) as ctx:
        states = {m.subject: (m.kind, m.state) for m in inbox_messages(ctx)}
        assert states["Free webinar on youth violence for your bulletin"] == ("other", MessageState.DISMISSED)
        assert states["Item for the bulletin: Alcohol Awareness Week - Know Your Score"] == (
            "contribution",
            MessageState.RESOLVED,
        )
        assert len(drafts_table(ctx)) == 7  # the unknown sender's message made no draft


def test_keep_attachments_reads_the_original_back_from_the_mailbox(
    inbox_ctx: AppContext, dovecot: Dovecot, delivered: CliRun
) -> None:
    cli = delivered
    cli("inbox", "fetch", code=6)
    before = fingerprint(cli.data_dir)
    number = queue_number(cli, "Safeguarding Adult Review")
    assert "Attachment:   SAR seven-minute briefing.pdf (application/pdf, 326 bytes)" in cli("inbox", "show", number)
    assert fingerprint(cli.data_dir) == before  # showing a draft changes nothing, and nothing was stored
    assert not (cli.data_dir / "contributions").exists()
    out = cli("inbox", "accept", number, "--keep-attachments")
    kept = cli.data_dir / "contributions" / "safeguarding-adult-review-published" / "SAR seven-minute briefing.pdf"
    assert f"kept {kept}" in out
    original = email.message_from_bytes((CONTRIBUTIONS / "pdf-attachment.eml").read_bytes(), policy=policy.default)
    pdf = next(p for p in original.walk() if p.get_content_type() == "application/pdf")
    assert kept.read_bytes() == pdf.get_payload(decode=True)
    with open_context(inbox_ctx.settings, read_only=True) as ctx:
        draft = next(d for d in drafts_table(ctx) if d.item_id == "safeguarding-adult-review-published")
        assert [a.kept_as for a in draft.attachments] == [
            "contributions/safeguarding-adult-review-published/SAR seven-minute briefing.pdf"
        ]

    held = json.loads(cli("subscribers", "show-data", "Priya.Placeholder@KMSAB.example"))  # subject access
    assert [d["title"] for d in held["inbox"]["contributions"]] == ["Safeguarding Adult Review published"]
    cli("subscribers", "erase", "priya.placeholder@kmsab.example", "--yes")  # the contact asks to be forgotten
    assert not kept.exists()
    with open_context(inbox_ctx.settings, read_only=True) as ctx:
        draft = next(d for d in drafts_table(ctx) if d.item_id == "safeguarding-adult-review-published")
        assert (draft.contact_email, draft.contact_name, draft.attachments[0].kept_as) == ("", "", "")
        item = ctx.store.items.get("safeguarding-adult-review-published")
        assert item is not None and "Priya" not in item.contributed_by


def partner_mail(subject: str, body: str, number: int, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Pat Officer <pat.officer@kent-police.example>"
    message["To"] = "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = subject, f"<partner-{number}@kent-police.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def test_pass_drafts_in_the_batch_write_exactly_once_and_never_in_a_dry_run(
    inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4
) -> None:
    ctx = inbox_ctx
    add_partner(ctx, "Kent Police", "responsible authority", ["kent-police.example"])
    mails = [
        partner_mail("Knife crime week of action", "Operation Sceptre runs in Kent next month.", 1),
        partner_mail("Booking", "Please book me a place on the Serious Violence Duty session on 14 January.", 2),
        partner_mail("Out of office", "I am away until Monday.", 3, Auto_Submitted="auto-replied"),
        partner_mail("New leaflet on scams", "Trading Standards published a leaflet on doorstep scams.", 4),
        (CONTRIBUTIONS / "unknown-sender.eml").read_bytes(),
    ]
    dovecot.deliver_many(mails)
    before = (ctx.data_dir / "bulletin.json").read_bytes()
    dry = fetch_inbox(ctx, imap, dry_run=True)
    assert sorted(h.kind for h in dry.handled) == ["auto-reply", "contribution", "contribution", "other", "other"]
    assert (ctx.data_dir / "bulletin.json").read_bytes() == before and len(drafts_table(ctx)) == 0

    saves = ctx.store.db.storage.saves
    report = fetch_inbox(ctx, imap, batch=2)
    assert ctx.store.db.storage.saves - saves == 3  # one write per batch of two, drafts included
    kinds = {h.subject: (h.kind, h.note) for h in report.handled}
    assert kinds["Booking"] == ("other", "registration request: CSIS: Serious Violence Duty")  # not a draft
    assert kinds["Knife crime week of action"] == (
        "contribution",
        "draft item from Kent Police: Knife crime week of action",
    )
    drafts = {d.title: d for d in drafts_table(ctx)}
    assert sorted(drafts) == ["Knife crime week of action", "New leaflet on scams"]
    assert drafts["New leaflet on scams"].category.value == "publication"
    assert all(inbox_messages(ctx).get(d.key) is not None for d in drafts.values())

    dovecot.deliver_many(mails[:1])  # delivered again (a crash before filing): filed, not drafted twice
    again = fetch_inbox(ctx, imap)
    assert [h.again for h in again.handled] == [True] and len(drafts_table(ctx)) == 2


@pytest.mark.parametrize(("wrapped", "expected"), [
    ("https://eur01.safelinks.protection.outlook.com/?url=javascript%3Aalert(1)&data=05", None),
    ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.google.com%2Furl%3Fq%3Djavascript"
     "%253Aalert(1)&data=05", None),  # a wrapper inside a wrapper, hiding javascript:
    ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.google.com%2Furl%3Fq%3Dhttps"
     "%253A%252F%252Fwww.kent.gov.uk%252Fevents&data=05", "https://www.kent.gov.uk/events"),
    ("https://eur01.safelinks.protection.outlook.com/?url=data%3Atext%2Fhtml%2C%3Cscript%3E&data=05", None),
])
def test_a_safe_link_is_unwrapped_to_an_http_address_or_left_out(wrapped: str, expected: str | None) -> None:
    from bulletin_tui.mailbox.links import clean_link

    assert clean_link(wrapped) == expected
