"""The leak matrix of carnets and of their blocks: for each actor of the cast, every list
(API, pages, portal block, home, search) holds exactly the carnets ``visible_to`` gives — the
table of the visibility rule — and inside one public carnet, each card, médiathèque photo and
saved map pointing to something the reader may not see is « Contenu réservé », never its
title or its file; the same in the embed, the PDF and the offline zip."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from layers.models import Map
from portals.models import Portal
from publications.models import Carnet
from publications.references import resolve

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..conftest import ACTORS
from .conftest import text_block

pytestmark = pytest.mark.django_db


def _client(cast, actor: str) -> Client:
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    return client


def _states(text: str, word: str, before: str = ">", after: str = "<") -> set[str]:
    return {state for state in STATES if f"{before}{word} {state}{after}" in text}


@pytest.mark.parametrize("actor", ACTORS)
def test_every_list_holds_exactly_what_the_rule_gives(cast, carnets, client_for, actor):
    expected = EXPECTED_VISIBLE[actor]
    rule = {
        c.title.removeprefix("Carnet ")
        for c in Carnet.objects.visible_to(cast[actor]).filter(group=cast.group)
    }
    assert rule == expected
    api = client_for(actor).get("/api/v1/publications/?limit=100").json()
    assert {r["title"].removeprefix("Carnet ") for r in api["results"]} == expected
    client = _client(cast, actor)
    assert _states(client.get("/publications/").content.decode(), "Carnet") == expected
    assert (
        _states(client.get("/publications/?groupe=groupe-matrice").content.decode(), "Carnet")
        == expected
    )
    found = _states(client.get("/recherche/?q=carnet").content.decode(), "Carnet")
    assert found <= expected and len(found) == min(len(expected), 5)  # 5 hits per kind
    Portal.objects.get_or_create(group=cast.group, defaults={"title": "Portail"})
    portal = client.get("/portails/groupe-matrice/").content.decode()
    assert _states(portal, "Carnet") == expected  # 6 states, block of 6: exact
    # the home page is the same for everyone: public and validated only
    assert _states(client.get("/").content.decode(), "Carnet") == {"public"}
    for state, carnet in carnets.items():
        status = client.get(f"/publications/{carnet.slug}/").status_code
        assert status == (200 if state in expected else 404), (actor, state)
        pdf = client.get(f"/publications/{carnet.slug}.pdf").status_code
        assert pdf == (200 if state in expected else 404), (actor, state)


@pytest.fixture
def mixed(cast, resources) -> Carnet:
    """A public, validated carnet by the author (who sees everything) whose blocks point to a
    resource, a médiathèque photo and a saved map in each sharing state."""
    maps = {
        state: Map.objects.create(
            title=f"Carte {state}",
            slug=f"carte-{state.replace('_', '-')}",
            group=cast.group,
            author=cast["author"],
            level=level,
            validated_at=timezone.now() if validated else None,
        )
        for state, (level, validated) in STATES.items()
    }
    cards = [resources["cards"][s].pk for s in STATES]
    photos = [
        {
            "resource": p.pk,
            "attachment": a.pk,
            "alt": f"Vue {s}",
            "caption": f"Légende {s}",
            "credit": "",
        }
        for s, (p, a) in resources["photos"].items()
    ]
    blocks = [
        text_block("## Le carnet mêlé"),
        {"type": "resources", "resources": cards},
        {"type": "photo", "images": photos},
    ]
    blocks += [
        {"type": "map", "map": m.slug, "extent": None, "caption": "", "steps": []}
        for m in maps.values()
    ]
    return Carnet.objects.create(
        title="Carnet mêlé",
        slug="carnet-mele",
        group=cast.group,
        author=cast["author"],
        level="public",
        validated_at=timezone.now(),
        validated_by=cast["animateur"],
        blocks=blocks,
    )


def _reserved(body: str) -> int:
    return body.count("Contenu réservé")


@pytest.mark.parametrize("actor", ACTORS)
def test_blocks_show_what_the_reader_may_see_and_reserve_the_rest(cast, mixed, resources, actor):
    expected = EXPECTED_VISIBLE[actor]
    hidden = len(STATES) - len(expected)
    client = _client(cast, actor)
    for path in ("/publications/carnet-mele/", "/publications/carnet-mele/integrer/"):
        body = client.get(path).content.decode()
        assert _states(body, "Clocher") == expected, path
        shown_photos = {
            s
            for s, (p, a) in resources["photos"].items()
            if f"/ressources/{p.pk}/fichiers/{a.pk}/" in body
        }
        assert shown_photos == expected, path
        assert {s for s in STATES if f'Vue {s}"' in body} == expected, path
        assert _states(body, "Carte", before='"', after='"') == expected, path
        # cards, photos and maps: three « contenu réservé » per hidden state
        assert _reserved(body) == 3 * hidden, path


@pytest.mark.parametrize("actor", ("anonymous", "account", "lecteur", "author"))
def test_the_pdf_and_the_zip_hold_only_what_the_reader_may_see(cast, mixed, actor):
    expected = EXPECTED_VISIBLE[actor]
    client = _client(cast, actor)
    response = client.get("/publications/carnet-mele.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Carnet mêlé" in text
    assert {s for s in STATES if re.search(rf"Clocher {s}(?!_)", text)} == expected
    assert text.count("Contenu réservé") == 3 * (len(STATES) - len(expected))
    archive = zipfile.ZipFile(io.BytesIO(client.get("/publications/carnet-mele.zip").content))
    index = archive.read("index.html").decode()
    assert _states(index, "Clocher") == expected
    photos = [n for n in archive.namelist() if n.startswith("medias/")]
    assert len(photos) == len(expected)


def test_the_blocks_are_resolved_in_one_query_per_kind(cast, mixed, django_assert_num_queries):
    """However many blocks point to resources and maps, the reader's rights over them cost one
    query for the resources and one for the maps (with their basemaps)."""
    mixed.blocks = mixed.blocks + [mixed.blocks[1]] * 30 + [mixed.blocks[2]] * 10
    with django_assert_num_queries(2):
        found = resolve(mixed, cast["lecteur"])
    assert len(found.resources) == 2 * len(EXPECTED_VISIBLE["lecteur"])
