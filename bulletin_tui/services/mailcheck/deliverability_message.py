"""The deliverability check's test message: a short sample issue rendered by the bulletin templates and built by
the send's own builder (`bulletin_builder`, subject marked `[TEST]`), so every header is the one a real send
carries. Nothing is stored: the sample issue lives only in memory."""

from __future__ import annotations

from ...domain.bulletins import BulletinIssue, BulletinItem, Category
from ...domain.subscribers import DistributionList
from ...rendering.prepare import PreparedIssue, render_issue
from ...rendering.view import IssueContent
from ...sending.progress import Recipient
from ..context import AppContext
from ..mailings.send import bulletin_builder

SAMPLE_SLUG = "deliverability-check"
SAMPLE_ITEMS = (
    (Category.NEWS, "Deliverability check",
     "This message tests how the team mailbox receives the e-bulletin: sender checks (SPF, DKIM, DMARC), the "
     "one-click unsubscribe headers, its size and its plain-text part. `bulletin-tui mail check "
     "--deliverability` sent it and deletes it once read; nobody else received it."),
    (Category.GOOD_PRACTICE, "Why the checks matter",
     "Gmail, Yahoo and Microsoft ask bulk senders for an aligned DKIM signature or SPF, a DMARC record and a "
     "one-click unsubscribe. Without them bulletins go to junk folders, or are refused."),
)


def sample_issue(ctx: AppContext) -> PreparedIssue:
    """A two-item issue rendered (and inlined) by the real templates; never stored."""
    now = ctx.clock.now()
    items = [BulletinItem(id=f"{SAMPLE_SLUG}-{number}", title=title, category=category, summary=summary,
                          created_at=now)
             for number, (category, title, summary) in enumerate(SAMPLE_ITEMS, start=1)]
    issue = BulletinIssue(slug=SAMPLE_SLUG, title="Deliverability check", created_at=now,
                          intro="A test of how this bulletin is received. Nothing to read here.",
                          item_ids=[item.id for item in items])
    content = IssueContent(issue=issue, items=items, sessions=[], confirmed={}, now=now)
    return render_issue(content, ctx.settings)


def home_list(ctx: AppContext) -> DistributionList:
    """The list whose List-Id and unsubscribe token the message carries: the first list, or a stand-in."""
    lists = sorted(ctx.store.lists.all(), key=lambda d: d.slug)
    if lists:
        return lists[0]
    return DistributionList(slug="e-bulletin", name="e-bulletin", created_at=ctx.clock.now())


def deliverability_message(ctx: AppContext, to: str) -> bytes:
    """The test message to `to`, exactly as `send --test-to` would build a bulletin for that address."""
    build = bulletin_builder(ctx, sample_issue(ctx), home_list(ctx), subject_prefix="[TEST] ")
    return build(Recipient(to, ""))
