"""User Markdown becomes HTML without anything that runs: the sanitizer has the last word."""

from __future__ import annotations

import re

import pytest

from workgroups.markdown import render_markdown


def test_markdown_is_rendered():
    text = "## Le projet\n\nUn *parc* et [le site](https://example.org).\n\n- a\n- b"
    html = render_markdown(text)
    assert "<h2>Le projet</h2>" in html
    assert "<em>parc</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">le site</a>' in html
    assert "<li>a</li>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://example.org"></iframe>',
        "[clic](javascript:alert(1))",
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_nothing_that_runs_survives(text):
    """What a person typed may stay as visible text (escaped); never as a tag, an event
    attribute or a link that runs."""
    html = render_markdown(text).lower()
    assert not re.search(r"<(script|iframe|object|embed)", html), html
    assert not re.search(r"<[^>]*\son\w+\s*=", html), html
    assert not re.search(r"<[^>]*(href|src)\s*=\s*[\"']?\s*(javascript|data):", html), html


def test_sanitizer_strips_what_the_parser_would_let_through(monkeypatch):
    """The allow-list holds even if the parser emitted raw HTML (a parser bug, an option)."""
    from workgroups import markdown

    raw = (
        '<p onclick="x()">a</p><script>b</script><iframe src="https://x"></iframe>'
        '<a href="javascript:c()">d</a><img src="data:image/png;base64,AA" alt="e">'
    )
    monkeypatch.setattr(markdown._parser.renderer, "render", lambda tokens, options, env: raw)
    html = markdown.render_markdown("anything")
    assert html == '<p>a</p><a rel="noopener noreferrer nofollow">d</a><img alt="e">'


def test_plain_text_keeps_its_words():
    assert "Église &amp; mairie" in render_markdown("Église & mairie")
    assert render_markdown("") == ""


def test_headings_go_below_the_pages_own():
    """Writers put « ## »; under a page's <h2> it becomes <h3>, never beyond <h6>, and a
    heading's text is escaped as any other."""
    text = "## Nos services\n\n#### Détail <b>x</b>\n\n###### Fin"
    assert str(render_markdown(text)).startswith("<h2>Nos services</h2>")
    shifted = str(render_markdown(text, shift_headings=1))
    assert "<h3>Nos services</h3>" in shifted and "<h5>Détail &lt;b&gt;x&lt;/b&gt;</h5>" in shifted
    assert "<h6>Fin</h6>" in shifted
