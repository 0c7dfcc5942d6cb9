"""The demo's training on four dates (kcst-facts S08): 4 x 16 places at venues to be confirmed, in the future."""

from __future__ import annotations

from bulletin_tui.domain.occurrences import dates_summary, session_places
from bulletin_tui.services.demo.loader import load_demo


def test_the_demo_has_the_asb_cpd_on_four_future_dates(demo_ctx):  # type: ignore[no-untyped-def]
    [cpd] = [s for s in demo_ctx.store.sessions if s.slug.startswith("demo-asb-cpd-")]
    dates = cpd.dates()
    assert [d.id for d in dates] == ["1", "2", "3", "4"]
    assert all(d.start > demo_ctx.clock.now() and d.start.weekday() == 1 for d in dates)  # Tuesdays to come
    assert {d.venue for d in dates} == {"To be confirmed (district/borough partner)"}
    assert dates_summary(session_places(cpd, [])) == "4 dates, 64 places left"
    assert len({d.uid for d in dates}) == 4 and all(d.uid.endswith(".invalid") for d in dates)
    assert load_demo(demo_ctx).sessions == 0  # idempotent
