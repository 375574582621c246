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
    *("h2", "h3", "h4", "p", "br", "hr", "strong", "em", "code", "pre", "blockquote"),
    *("ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"),
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}
#: Links and images only over the web or to an address (no ``javascript:``, no ``data:``).
SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown written by a person) as HTML safe to put in a page."""
    html = _parser.render(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # sanitized by nh3 just above
