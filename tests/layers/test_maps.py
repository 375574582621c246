"""Maps follow the one visibility rule on every channel: list, viewer, embed, oEmbed, .umap;
and a visible map never shows resources its viewer may not see."""

from __future__ import annotations

import json
import re

import pytest

from layers.models import Map
from tests.conftest import ACTORS
from workgroups.models import FeedKey

from .maps_fixtures import MAP_LEVELS, RESOURCE_LEVELS, SEES_MAPS, SEES_RESOURCES, client_for

pytestmark = pytest.mark.django_db


def test_queryset_rule_matches_matrix(world):
    """Map.objects.visible_to(user) is the shared rule: each actor sees exactly its maps."""
    for actor in ACTORS:
        seen = set(Map.objects.visible_to(world.cast[actor]).values_list("slug", flat=True))
        assert seen == SEES_MAPS[actor], actor


@pytest.mark.parametrize("actor", ACTORS)
def test_channels_leak_matrix(client, world, actor):
    """List, viewer, embed, oEmbed and .umap answer 200 for visible maps and 404 otherwise;
    the list links only visible maps."""
    client = client_for(client, world.cast[actor])
    listing = client.get("/cartes/").content.decode()
    linked = set(re.findall(r'href="/cartes/([a-z0-9-]+)/"', listing)) - {"nouvelle"}  # editor
    assert linked == SEES_MAPS[actor]
    for slug in MAP_LEVELS:
        expected = 200 if slug in SEES_MAPS[actor] else 404
        for url in (
            f"/cartes/{slug}/",
            f"/cartes/{slug}/embed/",
            f"/cartes/{slug}.umap",
            f"/oembed/?url=http://testserver/cartes/{slug}/&format=json",
        ):
            assert client.get(url).status_code == expected, (actor, url)


@pytest.mark.parametrize("actor", ACTORS)
def test_visible_map_shows_only_visible_resources(client, world, actor):
    """The public map's list alternative and inline uMap data hold exactly the resources the
    viewer may see — private, group-level and unvalidated ones never reach outsiders."""
    client = client_for(client, world.cast[actor])
    page = client.get("/cartes/carte-publique/").content.decode()
    shown = {title for title in RESOURCE_LEVELS if f">{title}</a>" in page}
    assert shown == SEES_RESOURCES[actor]
    assert f"{len(SEES_RESOURCES[actor])} objet" in page
    document = json.loads(client.get("/cartes/carte-publique.umap?inline=1").content)
    inline = {f["properties"]["title"] for f in document["layers"][0]["features"]}
    assert inline == SEES_RESOURCES[actor]


def test_filter_in_url_drives_list(client, world):
    """?filter=<CQL2> narrows the list; the panel's fields redirect to that URL."""
    client = client_for(client, world.cast["author"])
    response = client.get("/cartes/carte-publique/", {"appliquer": "1", "text": "privée"})
    assert response.status_code == 302
    assert "filter=title+LIKE" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert ">Ressource privée</a>" in page
    assert ">Ressource publique</a>" not in page
    assert 'value="privée"' in page  # the panel shows the state read back from the URL


def test_panel_base_and_themes_round_trip(client, world):
    """The panel's base and theme fields go into ?filter= and are read back checked/filled."""
    response = client.get(
        "/cartes/carte-publique/",
        {"appliquer": "1", "bases": "observatoire", "themes": "eau, patrimoine"},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert "base+IN+%28%27observatoire%27%29" in location
    assert "themes+IN+%28%27eau%27%2C+%27patrimoine%27%29" in location
    page = client.get(location).content.decode()
    assert 'value="eau, patrimoine"' in page
    assert re.search(r'value="observatoire"[^>]*checked', page)


def test_bad_filter_is_400_with_french_message(client, world):
    """An invalid CQL2 filter answers 400 naming the parameter, never a 500."""
    response = client.get("/cartes/carte-publique/", {"filter": "titre = 'x'"})
    assert response.status_code == 400
    assert "Paramètre « filter »" in response.content.decode()
    response = client.get("/cartes/carte-publique/", {"appliquer": "1", "territory": "abc"})
    assert response.status_code == 400


@pytest.mark.parametrize("bad", ["date_start > 'abc'", "id = 'x'", "geometry = 3", "nope = 1"])
def test_filter_values_the_database_rejects_are_400(client, world, bad):
    """Values of the wrong type for their property are a 400 on the viewer and the downloads,
    checked before streaming starts — never a 500."""
    assert client.get("/cartes/carte-publique/", {"filter": bad}).status_code == 400
    for fmt in ("geojson", "csv", "gpkg"):
        response = client.get(f"/exports/observatoire.{fmt}", {"filter": bad})
        assert response.status_code == 400 and "filter" in response.json()["description"]


def test_layer_with_inapplicable_filter_is_rejected(world):
    """A layer's advanced filter is checked against the database when the layer is cleaned."""
    from django.core.exceptions import ValidationError

    world.layer.advanced_filter = "date_start > 'abc'"
    with pytest.raises(ValidationError) as info:
        world.layer.full_clean()
    assert "advanced_filter" in info.value.message_dict


def test_embed_allows_framing_and_oembed_is_rich(client, world):
    """The embed page may be framed anywhere; oEmbed gives a rich iframe keeping the filter."""
    response = client.get("/cartes/carte-publique/embed/")
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" in client.get("/cartes/carte-publique/")
    data = client.get(
        "/oembed/",
        {
            "url": "http://testserver/cartes/carte-publique/?filter=kind%3D%27marqueur%27",
            "format": "json",
            "maxwidth": "500",
        },
    ).json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["width"] == 500 and data["height"] == 600
    assert 'src="http://testserver/cartes/carte-publique/embed/?filter=' in data["html"]
    assert client.get("/oembed/", {"url": "http://testserver/admin/"}).status_code == 404
    assert (
        client.get(
            "/oembed/", {"url": "http://testserver/cartes/carte-publique/", "format": "xml"}
        ).status_code
        == 501
    )


def test_umap_file_shape_live_layers(client, world):
    """The .umap file has uMap's shape; layers are dynamic remote OGC API layers with {bbox};
    a private map's layers carry the user's feed key, a public one's never do."""
    response = client.get("/cartes/carte-publique.umap")
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["type"] == "umap" and doc["geometry"]["type"] == "Point"
    assert doc["properties"]["name"] == "Titre carte-publique"
    options = doc["layers"][0]["_umap_options"]
    assert options["type"] == "Default"
    remote = options["remoteData"]
    assert remote["dynamic"] is True and remote["format"] == "geojson"
    assert remote["url"].startswith("http://testserver/ogc/collections/observatoire/items?")
    assert remote["url"].endswith("&bbox={bbox}") and "key=" not in remote["url"]
    client.force_login(world.cast["author"])
    asked = client.get("/cartes/carte-privee.umap")  # which key? nothing made silently
    assert asked.status_code == 200 and "Créer une nouvelle clé" in asked.content.decode()
    assert not FeedKey.objects.filter(user=world.cast["author"]).exists()
    private = client.post("/cartes/carte-privee.umap", {"cle": "nouvelle"}).json()
    url = private["layers"][0]["_umap_options"]["remoteData"]["url"]
    key = re.search(r"key=([^&]+)", url).group(1)
    made = FeedKey.objects.get(user=world.cast["author"])
    assert made.key == key and made.label == "uMap"
    again = client.post("/cartes/carte-privee.umap", {"cle": str(made.pk)}).json()
    assert key in again["layers"][0]["_umap_options"]["remoteData"]["url"]  # reused, not new
    bare = client.post("/cartes/carte-privee.umap", {"cle": "aucune"}).json()
    assert "key=" not in bare["layers"][0]["_umap_options"]["remoteData"]["url"]
    wrong = client.post("/cartes/carte-privee.umap", {"cle": "999999"})
    assert wrong.status_code == 400 and "Clé inconnue ou révoquée" in wrong.content.decode()
    assert FeedKey.objects.filter(user=world.cast["author"]).count() == 1
