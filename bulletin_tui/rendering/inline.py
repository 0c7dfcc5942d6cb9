"""`inline_css()`: the one place premailer is used, with its pitfalls handled (tests/rendering/test_inline_once.py):
no network, no `width`/`height` attributes added to images, responsive rules kept (in an ignored `<style>`),
nothing written to stderr, and run once per issue and variant (docs/what-recipients-get.md)."""

from __future__ import annotations

import logging


def inline_css(html: str) -> str:
    """Move `<style>` rules into `style=""` attributes; `<style data-premailer="ignore">` passes through.

    Run once per issue and variant, never per recipient (one inline of a 60-item issue costs ~0.2 s).
    premailer (with lxml, cssutils and requests) is imported here, on first use: ~0.14 s of start-up otherwise.
    """
    from premailer import Premailer

    inliner = Premailer(
        html,
        allow_network=False,
        allow_loading_external_files=False,
        disable_basic_attributes=["width", "height"],
        cssutils_logging_level=logging.CRITICAL,
        remove_classes=False,
        keep_style_tags=False,
        disable_link_rewrites=True,
        exclude_pseudoclasses=True,
    )
    return str(inliner.transform(pretty_print=False))
