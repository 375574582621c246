"""The one way user text written in Markdown becomes HTML (portal introductions, news,
publications): CommonMark by markdown-it-py with raw HTML turned off, then nh3 (Ammonia's
allow-list sanitizer) as the last word, so that neither a ``<script>`` nor an ``<iframe>`` nor a
``javascript:`` link survives, whatever the parser lets through."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

#: What the platform's texts may hold: headings, emphasis, lists, quotes, links, images, tables.
TAGS = {
    *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "code", "pre", "blockquote"),
    *("ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"),
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}
#: Links and images only over the web or to an address (no ``javascript:``, no ``data:``).
SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str, *, shift_headings: int = 0) -> SafeString:
    """``text`` (Markdown written by a person) as HTML safe to put in a page. Writers put
    « ## » for their headings whatever the page around; ``shift_headings`` lowers them below
    the page's own (a text shown under an ``<h2>`` wants 1: « ## » becomes ``<h3>``), so the
    outline screen readers navigate by stays in order."""
    tokens = _parser.parse(text or "")
    if shift_headings:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + shift_headings)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # sanitized by nh3 just above
