"""``/api/v1/maps/``: the contract's POST, bad input answered clearly with nothing written,
and the leak matrix over maps made through the API (who sees, who may change each state)."""

from __future__ import annotations

import urllib.request

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from rest_framework.test import APIClient

from layers.icons import ICONS, icon_url
from layers.models import Layer, Map
from observatoire.kinds import Base, Kind
from tests.factories import ResourceFactory
from tests.layers.maps_fixtures import MAP_LEVELS, SEES_MAPS
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


def body(cast, **extra) -> dict:
    return {
        "title": "Patrimoine et chaleur",
        "group": cast.group.slug,
        "layers": [
            {
                "base": "observatoire",
                "kind": "marqueur",
                "filter": "attributes.commune_insee = '59350'",
                "style": {
                    "representation": "markers",
                    "radius": 8,
                    "popup": ["kind", "date"],
                    "label": "title",
                    "icon": "monument",
                },
            },
            {"base": "activite", "style": {"representation": "heatmap", "icon": "farm"}},
        ],
        **extra,
    }


def test_contract_post_answers_201_with_slug_and_viewer(cast, client):
    """``POST /api/v1/maps/`` with a title, a group and layers answers 201 with its slug; the
    map is private to its author until shared, and its viewer draws both layers."""
    now = timezone.now()
    ResourceFactory(
        title="Beffroi de Lille",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=now,
        attributes={"commune_insee": "59350"},
    )
    response = api(cast["contributeur"]).post("/api/v1/maps/", body(cast), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "patrimoine-et-chaleur"
    assert data["url"] == "/cartes/patrimoine-et-chaleur/"
    assert (data["level"], data["validated"], data["author"]) == (
        "utilisateur",
        False,
        "contributeur",
    )
    first, second = data["layers"]
    assert (first["base"], first["kind"], first["filter"]) == (
        "observatoire",
        "marqueur",
        "attributes.commune_insee = '59350'",
    )
    assert first["cql"] == "kind IN ('marqueur') AND attributes.commune_insee = '59350'"
    assert first["style"]["radius"] == 8 and first["style"]["popup"] == ["kind", "date"]
    assert first["style"]["label"] == "title"  # titles written beside the markers
    assert second["style"]["representation"] == "heatmap" and second["kind"] is None
    assert second["style"]["label"] == ""  # no label unless asked
    assert (first["style"]["icon"], second["style"]["icon"]) == ("monument", "farm")
    assert data["extent"] is None  # no extent unless given: the centre and zoom frame it

    client.force_login(cast["contributeur"])
    page = client.get("/cartes/patrimoine-et-chaleur/")
    assert page.status_code == 200
    config = page.context["config"]
    assert [layer["style"] for layer in config["layers"]] == ["markers", "heatmap"]
    assert [layer["label"] for layer in config["layers"]] == ["title", ""]
    # the icon draws where objects are markers; a heat map keeps its drawing (and its choice)
    assert [layer["icon"] for layer in config["layers"]] == [
        {"name": "monument", "url": "/static/vendor/maki/monument.svg"},
        None,
    ]
    umap = client.get("/cartes/patrimoine-et-chaleur.umap?inline=1").json()
    options = [layer["_umap_options"] for layer in umap["layers"]]
    assert (options[0]["showLabel"], options[0]["labelKey"]) == (True, "title")
    assert "showLabel" not in options[1]
    assert options[0]["iconUrl"] == "http://testserver/static/vendor/maki/monument.svg"
    assert "iconUrl" not in options[1]
    assert [row.title for row in page.context["rows"]] == ["Beffroi de Lille"]
    client.force_login(cast["lecteur"])
    assert client.get("/cartes/patrimoine-et-chaleur/").status_code == 404  # still private


def test_put_patch_replace_layers_and_keep_the_group(cast):
    author = api(cast["contributeur"])
    slug = author.post("/api/v1/maps/", body(cast), format="json").json()["slug"]
    layer_ids = set(Map.objects.get(slug=slug).layers.values_list("id", flat=True))
    patched = author.patch(
        f"/api/v1/maps/{slug}/",
        {"title": "Nouveau titre", "layers": [{"base": "mediatheque", "kinds": ["photo"]}]},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Nouveau titre"
    assert [layer["kinds"] for layer in patched.json()["layers"]] == [["photo"]]
    assert not Layer.objects.filter(pk__in=layer_ids).exists()  # the old layers went
    assert patched.json()["slug"] == slug  # the address does not move with the title

    moved = author.patch(f"/api/v1/maps/{slug}/", {"group": cast.other_group.slug}, format="json")
    assert moved.status_code == 400 and "groupe" in moved.json()["group"][0]

    replaced = author.put(
        f"/api/v1/maps/{slug}/", body(cast, zoom=11, center=[3.06, 50.63]), format="json"
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["center"] == [3.06, 50.63] and len(replaced.json()["layers"]) == 2
    assert author.put(f"/api/v1/maps/{slug}/", {"title": "x"}, format="json").status_code == 400


def test_an_extent_frames_the_viewer_and_the_umap_export(cast, client):
    """``extent`` [west, south, east, north] is written and read back; the viewer fits it
    (its configuration carries it), and the .umap file, which knows a centre and a zoom
    only, gets those that show it."""
    author = api(cast["contributeur"])
    lille = [2.95, 50.55, 3.2, 50.7]
    response = author.post("/api/v1/maps/", body(cast, extent=lille), format="json")
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    assert response.json()["extent"] == lille
    assert Map.objects.get(slug=slug).extent == lille
    client.force_login(cast["contributeur"])
    assert client.get(f"/cartes/{slug}/").context["config"]["extent"] == lille
    umap = client.get(f"/cartes/{slug}.umap?inline=1").json()
    lon, lat = umap["geometry"]["coordinates"]
    assert lille[0] < lon < lille[2] and lille[1] < lat < lille[3]
    assert umap["properties"]["zoom"] == 11  # 0.25° wide in a 1000 × 600 view
    copy = author.post(f"/api/v1/maps/{slug}/duplicate/", format="json")
    assert copy.status_code == 201 and copy.json()["extent"] == lille
    cleared = author.patch(f"/api/v1/maps/{slug}/", {"extent": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["extent"] is None


BAD_EXTENTS = {
    "three numbers": ([3, 50, 4], "Emprise attendue"),
    "text": ("3,50,4,51", "Emprise attendue"),
    "west after east": ([4, 50, 3, 51], "l'ouest doit précéder l'est"),
    "south after north": ([3, 51, 4, 50], "le sud le nord"),
    "flat": ([3, 50, 3, 51], "l'ouest doit précéder l'est"),
    "longitude": ([170, 50, 190, 51], "longitudes de -180 à 180"),
    "latitude": ([3, -95, 4, 51], "latitudes de -90 à 90"),
}


@pytest.mark.parametrize("case", BAD_EXTENTS)
def test_bad_extent_is_400_in_french_and_nothing_is_written(cast, case):
    extent, expected = BAD_EXTENTS[case]
    response = api(cast["contributeur"]).post(
        "/api/v1/maps/", body(cast, extent=extent), format="json"
    )
    assert response.status_code == 400, response.content
    [message] = response.json()["extent"]
    assert expected in message
    assert not Map.objects.exists() and not Layer.objects.exists()


BAD_LAYERS = {
    "cql": (
        {"base": "observatoire", "filter": "kind = 'marqueur' AND"},
        "colonne 19",
    ),
    "kind": ({"base": "observatoire", "kind": "licorne"}, "Type inconnu"),
    "kind of another base": ({"base": "activite", "kind": "marqueur"}, "Type inconnu"),
    "property": ({"base": "observatoire", "filter": "couleur = 'rouge'"}, "couleur"),
    "radius": ({"base": "observatoire", "style": {"radius": 500}}, "30"),
    "opacity": ({"base": "observatoire", "style": {"opacity": 3}}, "1"),
    "colour": ({"base": "observatoire", "style": {"color": "rouge"}}, "#rrggbb"),
    "style name": ({"base": "observatoire", "style": {"taille": 3}}, "inconnue"),
    "label": ({"base": "observatoire", "style": {"label": "couleur"}}, "couleur"),
    "icon": ({"base": "observatoire", "style": {"icon": "licorne"}}, "« licorne »"),
    "representation": (
        {"base": "observatoire", "style": {"representation": "camembert"}},
        "camembert",
    ),
    "base": ({"base": "cadastre"}, "cadastre"),
}


@pytest.mark.parametrize("case", BAD_LAYERS)
def test_bad_layer_is_named_and_nothing_is_written(cast, case):
    """A bad layer answers 400 with a French message naming what is wrong (the CQL2 error
    gives its position), and no map or layer is written."""
    layer, expected = BAD_LAYERS[case]
    payload = body(cast)
    payload["layers"] = [payload["layers"][1], layer]
    response = api(cast["contributeur"]).post("/api/v1/maps/", payload, format="json")
    assert response.status_code == 400, response.content
    assert expected in response.content.decode()
    assert not Map.objects.exists() and not Layer.objects.exists()


def test_unknown_icon_is_named_in_french(cast):
    payload = body(cast)
    payload["layers"][0]["style"]["icon"] = "licorne"
    response = api(cast["contributeur"]).post("/api/v1/maps/", payload, format="json")
    assert response.status_code == 400
    [message] = response.json()["layers"]["0"]["style"]["icon"]  # the first layer's icon
    assert message.startswith("Icône inconnue : « licorne » (possibles : monument, ")


def test_every_icon_is_served_by_the_project(live_server):
    """Each icon of the choice is an SVG this site serves (no CDN), and the picture is Maki's."""
    for name in ICONS:
        with urllib.request.urlopen(live_server.url + icon_url(name)) as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"] == "image/svg+xml"
            assert b"<svg" in answer.read()


def test_invalid_cql_names_the_layer_and_the_position(cast):
    payload = body(cast)
    payload["layers"][1]["filter"] = "title LIKE 'Église"
    response = api(cast["contributeur"]).post("/api/v1/maps/", payload, format="json")
    assert response.status_code == 400
    [message] = response.json()["layers"]
    assert message.startswith("Couche 2, filter : Filtre cql2-text invalide")
    assert "« ' » inattendu (ligne 1, colonne 12)" in message


@pytest.mark.parametrize("actor", ["lecteur", "account", "other_animateur"])
def test_map_of_a_group_where_one_may_not_create_is_403(cast, actor):
    response = api(cast[actor]).post("/api/v1/maps/", body(cast), format="json")
    assert response.status_code == 403
    assert "contributeur" in response.json()["detail"]
    assert not Map.objects.exists() and not Layer.objects.exists()


def test_anonymous_cannot_write(cast):
    assert api().post("/api/v1/maps/", body(cast), format="json").status_code in (401, 403)
    assert not Map.objects.exists()


def test_bad_map_fields(cast):
    client = api(cast["contributeur"])
    for extra, field in (
        ({"zoom": 40}, "zoom"),
        ({"center": [3.0]}, "center"),
        ({"center": [300, 50]}, "center"),
        ({"basemap": "inconnu"}, "basemap"),
        ({"level": "secret"}, "level"),
        ({"layers": []}, "layers"),
        ({"couleur": "rouge"}, "couleur"),
        ({"title": ""}, "title"),
    ):
        response = client.post("/api/v1/maps/", body(cast, **extra), format="json")
        assert response.status_code == 400, (extra, response.content)
        assert field in response.json(), (extra, response.json())
    assert not Map.objects.exists() and not Layer.objects.exists()


# --- the leak matrix over maps made through the API ------------------------------------------

#: Actor → the slugs they may change (``editable_by``: the author, and the group's animateurs
#: for all but private maps).
EDITS_MAPS = {
    "author": set(MAP_LEVELS),
    "animateur": set(MAP_LEVELS) - {"carte-privee"},
}


@pytest.fixture
def api_maps(cast) -> dict[str, str]:
    """The five sharing states of ``maps_fixtures``, each made through the API by ``author``
    (shared with the API's share action; validated by the animateur where it says so)."""
    author, animateur = api(cast["author"]), api(cast["animateur"])
    ResourceFactory(
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        kind=Kind.MARQUEUR,
        base=Base.OBSERVATOIRE,
        geom=Point(3.05, 50.6, srid=4326),
    )
    made = {}
    for slug, (level, validated) in MAP_LEVELS.items():
        response = author.post("/api/v1/maps/", body(cast, title=slug), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["slug"] == slug
        if level != Level.UTILISATEUR:
            shared = author.post(f"/api/v1/maps/{slug}/share/", {"level": level}, format="json")
            assert shared.status_code == 200 and shared.json()["validated"] is False
        if validated:
            checked = animateur.post(f"/api/v1/maps/{slug}/validate/")
            assert checked.status_code == 200 and checked.json()["validated"] is True
        made[slug] = slug
    return made


@pytest.mark.parametrize("actor", list(SEES_MAPS))
def test_leak_matrix_of_api_made_maps(cast, client, api_maps, actor):
    """Each actor lists, reads and opens exactly the maps of the one rule, and changes or
    deletes exactly those ``editable_by`` allows: 404 for what they may not see, 403 for what
    they see but may not change."""
    person = cast[actor]
    sees, edits = SEES_MAPS[actor], EDITS_MAPS.get(actor, set())
    listed = api(person).get("/api/v1/maps/?limit=50").json()
    assert {m["slug"] for m in listed["results"]} == sees
    if person.is_authenticated:
        client.force_login(person)
    for slug in api_maps:
        visible = slug in sees
        assert api(person).get(f"/api/v1/maps/{slug}/").status_code == (200 if visible else 404)
        assert client.get(f"/cartes/{slug}/").status_code == (200 if visible else 404)
        assert client.get(f"/cartes/{slug}.umap").status_code == (200 if visible else 404)
        patched = api(person).patch(f"/api/v1/maps/{slug}/", {"description": "x"}, format="json")
        if not person.is_authenticated:
            expected = 403 if visible else 404
            assert patched.status_code in (401, expected)
        else:
            assert patched.status_code == (200 if slug in edits else 403 if visible else 404)
    assert set(Map.objects.filter(description="x").values_list("slug", flat=True)) == edits


@pytest.mark.parametrize("actor", ["contributeur", "expert", "lecteur", "account"])
def test_delete_is_for_author_and_animateurs(cast, api_maps, actor):
    response = api(cast[actor]).delete("/api/v1/maps/carte-groupe/")
    assert response.status_code == (404 if actor == "account" else 403)
    assert Map.objects.filter(slug="carte-groupe").exists()


def test_author_and_animateur_delete_and_layers_go(cast, api_maps):
    assert api(cast["animateur"]).delete("/api/v1/maps/carte-groupe/").status_code == 204
    assert api(cast["animateur"]).delete("/api/v1/maps/carte-privee/").status_code == 404
    assert api(cast["author"]).delete("/api/v1/maps/carte-privee/").status_code == 204
    assert Map.objects.count() == 3 and Layer.objects.count() == 6


def test_duplicate_is_a_private_copy_for_contributeurs(cast, api_maps):
    copy = api(cast["contributeur"]).post("/api/v1/maps/carte-publique/duplicate/")
    assert copy.status_code == 201, copy.content
    data = copy.json()
    assert (data["author"], data["level"], data["validated"]) == (
        "contributeur",
        "utilisateur",
        False,
    )
    assert data["title"] == "Copie de carte-publique" and len(data["layers"]) == 2
    assert api(cast["lecteur"]).post("/api/v1/maps/carte-publique/duplicate/").status_code == 403
    assert api(cast["account"]).post("/api/v1/maps/carte-privee/duplicate/").status_code == 404
