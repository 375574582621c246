"""The blocks' schema: each type accepted in its right shape, and every wrong shape refused
with a French message naming the block (from 1) and the field; Markdown sanitized at render."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from publications.blocks import clean_blocks, is_empty
from publications.models import Carnet
from publications.render import build

GOOD = [
    {"type": "text", "markdown": "## Titre\n\nTexte."},
    {"type": "photo", "images": [{"media": 1, "alt": "Un beffroi", "caption": "", "credit": ""}]},
    {
        "type": "map",
        "map": "patrimoine",
        "steps": [{"markdown": "Étape", "extent": [2, 50, 3, 51]}],
    },
    {
        "type": "map",
        "layer": {"base": "observatoire", "kinds": ["marqueur"], "filter": "title LIKE 'B%'"},
        "extent": [2.0, 50.0, 3.0, 51.0],
    },
    {"type": "resources", "resources": [1, 2]},
    {"type": "video", "title": "Film", "url": "https://video.example/v/1"},
    {"type": "video", "title": "Film", "media": 3},
    {
        "type": "compare",
        "before": {"media": 1, "alt": "Avant"},
        "after": {"media": 2, "alt": "Après"},
    },
    {"type": "quote", "text": "Une phrase.", "source": "Quelqu'un"},
    {"type": "separator"},
]


def test_every_type_is_accepted_and_normalised():
    cleaned = clean_blocks(GOOD)
    assert [b["type"] for b in cleaned] == [b["type"] for b in GOOD]
    assert cleaned[3]["layer"]["style"] == "markers"  # defaults filled in
    assert cleaned[2]["steps"][0] == {
        "markdown": "Étape",
        "extent": [2.0, 50.0, 3.0, 51.0],
        "show": [],
        "hide": [],
    }


@pytest.mark.parametrize(
    ("block", "key", "words"),
    [
        ({"type": "poeme"}, "blocks[1].type", "type de bloc inconnu"),
        ({"type": "text", "markdown": "  "}, "blocks[1].markdown", "obligatoire"),
        (
            {"type": "photo", "images": [{"media": 1, "alt": ""}]},
            "blocks[1].images[0].alt",
            "texte alternatif",
        ),
        ({"type": "photo", "images": []}, "blocks[1].images", "au moins une image"),
        ({"type": "map", "layer": {"base": "lune"}}, "blocks[1].layer.base", "base inconnue"),
        (
            {"type": "map", "layer": {"base": "observatoire", "filter": "titre ==== 3"}},
            "blocks[1].layer.filter",
            "",
        ),
        ({"type": "map", "map": "x", "extent": [3, 50, 2, 51]}, "blocks[1].extent", "emprise"),
        (
            {"type": "map", "map": "x", "steps": [{"markdown": ""}]},
            "blocks[1].steps[0].markdown",
            "obligatoire",
        ),
        ({"type": "resources", "resources": ["un"]}, "blocks[1].resources[0]", "identifiant"),
        ({"type": "resources", "resources": [2**40]}, "blocks[1].resources[0]", "identifiant"),
        (
            {"type": "video", "title": "Film", "url": "javascript:alert(1)"},
            "blocks[1].url",
            "https://",
        ),
        ({"type": "compare", "before": {"media": 1, "alt": "a"}}, "blocks[1].after", "image"),
        ({"type": "quote", "text": ""}, "blocks[1].text", "obligatoire"),
    ],
)
def test_a_wrong_block_is_named_with_its_field(block, key, words):
    """The second block is wrong: the error is keyed ``blocks[1].<field>`` and its French
    message says « Bloc n° 2 » and the field."""
    with pytest.raises(ValidationError) as caught:
        clean_blocks([{"type": "separator"}, block])
    errors = caught.value.message_dict
    assert list(errors) == [key]
    message = errors[key][0]
    assert message.startswith("Bloc n° 2")
    assert words in message
    assert f"« {key.split('.', 1)[1]} »" in message or key.endswith(".type")


def test_not_a_list_and_too_many_blocks_are_refused():
    with pytest.raises(ValidationError):
        clean_blocks({"type": "text"})
    with pytest.raises(ValidationError):
        clean_blocks([{"type": "separator"}] * 201)


def test_only_separators_is_empty():
    assert is_empty([]) and is_empty([{"type": "separator"}])
    assert not is_empty([{"type": "quote", "text": "x", "source": ""}])


@pytest.mark.django_db
def test_markdown_loses_script_iframe_and_javascript_links(cast):
    """Hostile Markdown: no <script>, no <iframe>, no javascript: link reaches the page; the
    headings still make the table of contents."""
    hostile = (
        "## Histoire\n\n<script>alert('x')</script>\n\n<iframe src='https://evil'></iframe>\n\n"
        "[clic](javascript:alert(1)) et [ok](https://exemple.fr)\n\n"
        "<img src=x onerror=alert(1)>\n\n### Détails"
    )
    carnet = Carnet(
        group=cast.group,
        author=cast["author"],
        title="T",
        slug="t",
        blocks=clean_blocks([{"type": "text", "markdown": hostile}]),
    )
    page = build(carnet, cast["author"])
    html = str(page.blocks[0]["html"])
    assert "<script" not in html and "<iframe" not in html
    # what is left of them is inert text, never a link or an element
    assert 'href="javascript' not in html and '<a href="javascript' not in html
    assert "<img" not in html
    assert 'href="https://exemple.fr"' in html
    assert [h["label"] for h in page.toc] == ["Histoire", "Détails"]
    assert '<h2 id="histoire">' in html
