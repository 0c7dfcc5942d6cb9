"""The whole path a recipient takes: a bulletin sent through a real SMTP server carries `List-Unsubscribe` pointing
at `serve`; a one-click POST to exactly that URL (as Gmail makes it) unsubscribes the person, and the footer link
opens the confirmation page."""

from __future__ import annotations

import re
from pathlib import Path

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.services.web.journal_apply import apply_pending

from ..sending.helpers import smtp_to
from ..sending.smtp_server import running_server as smtp_server
from ..sending.test_send_service import parse
from .server import get, post, running_server

HREF = re.compile(r'<a href="([^"]+)"[^>]*>Unsubscribe from this list</a>')


async def test_the_link_in_a_sent_bulletin_unsubscribes_through_serve(demo_ctx: AppContext, tmp_path: Path) -> None:
    ctx = demo_ctx
    keep = {p.email for p in audience(ctx, "e-bulletin")[:2]}
    for person in audience(ctx, "e-bulletin"):
        if person.email not in keep:
            ctx.store.subscribers.put(person.model_copy(update={"lists": {}}))
    with running_server(ctx.data_dir, tmp_path / "serve.log") as web:
        ctx.settings.sender.unsubscribe_url = f"{web.url}/u"  # the route serve answers
        async with smtp_server() as smtp:
            await send_bulletin(ctx, f"{ctx.clock.now():%Y-%m}", "e-bulletin", force=True, rate_per_minute=0,
                                transport=smtp_to(smtp.port))
            messages = [parse(m.data) for m in smtp.messages]
        assert len(messages) == 2
        first = messages[0]
        one_click = re.findall(r"<(http[^>]+)>", first["List-Unsubscribe"])[0]
        footer = HREF.findall(first.get_body(("html",)).get_content())[0]  # type: ignore[union-attr]
        assert footer == one_click and one_click.startswith(f"{web.url}/u/u1.")
        status, page = get(footer)
        assert status == 200 and "Stop receiving" in page
        status, _ = post(one_click, b"List-Unsubscribe=One-Click")
        assert status == 200
    assert apply_pending(ctx)["unsubscribe"] == 1  # the writer (this process) applies what serve journalled
    person = ctx.store.subscribers.get(first["To"].lower())
    assert person is not None and not person.is_subscribed("e-bulletin")
