"""One territory filter in every channel: REST, OGC API (parameters and CQL2), tiles, exports,
search; bad codes answer a French 400 naming them."""

import csv
import io
import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from tests.factories import ResourceFactory
from tiles.grid import tile_size  # noqa: F401 (the tiles app is importable)
from workgroups.roles import Level

from ..tiles.conftest import tile_of

pytestmark = pytest.mark.django_db

MEL = "200093201"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}


@pytest.fixture
def placed(territories):
    """Three public resources placed by a click, nothing typed: Lille, Arras, Saint-Denis."""
    public = {"level": Level.PUBLIC, "validated_at": timezone.now()}
    return {
        "lille": ResourceFactory(title="Beffroi de Lille", **public),
        "arras": ResourceFactory(
            title="Beffroi d'Arras", geom=Point(2.7777, 50.2910, srid=4326), **public
        ),
        "reunion": ResourceFactory(
            title="Case créole", geom=Point(55.4481, -20.8823, srid=4326), **public
        ),
    }


def _ids(features) -> set[int]:
    return {f["id"] for f in features}


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("commune", "59350", {"lille"}),
        ("epci", MEL, {"lille"}),
        ("departement", "59,62", {"lille", "arras"}),
        ("departement", "974", {"reunion"}),
        ("region", "32", {"lille", "arras"}),
        ("region", "04", {"reunion"}),
    ],
)
def test_rest_and_ogc_parameters(client, placed, param, value, expected):
    ids = {placed[name].pk for name in expected}
    rest = client.get("/api/v1/resources/", {param: value})
    assert rest.status_code == 200, rest.content
    assert _ids(rest.json()["features"]) == ids
    ogc = client.get("/ogc/collections/observatoire/items", {"f": "json", param: value})
    assert ogc.status_code == 200, ogc.content
    assert _ids(ogc.json()["features"]) == ids


def test_properties_are_read_only_lists(client, placed):
    (feature,) = client.get("/api/v1/resources/", {"commune": "59350"}).json()["features"]
    assert feature["properties"]["communes"] == ["59350"]
    assert feature["properties"]["epcis"] == [MEL]
    assert feature["properties"]["departements"] == ["59"]
    assert feature["properties"]["regions"] == ["32"]
    item = client.get(
        f"/ogc/collections/observatoire/items/{placed['reunion'].pk}", {"f": "json"}
    ).json()
    assert item["properties"]["departements"] == ["974"]
    queryables = client.get("/ogc/collections/observatoire/queryables", {"f": "json"}).json()
    for name in ("communes", "epcis", "departements", "regions"):
        assert queryables["properties"][name]["type"] == "array"


@pytest.mark.parametrize(
    ("cql", "lang", "expected"),
    [
        ("communes IN ('59350')", "cql2-text", {"lille"}),
        ("A_CONTAINS(communes, ('59350'))", "cql2-text", {"lille"}),
        ("A_OVERLAPS(departements, ('62', '974'))", "cql2-text", {"arras", "reunion"}),
        (
            json.dumps({"op": "a_contains", "args": [{"property": "epcis"}, [MEL]]}),
            "cql2-json",
            {"lille"},
        ),
        (
            json.dumps({"op": "a_overlaps", "args": [{"property": "regions"}, ["04", "32"]]}),
            "cql2-json",
            {"lille", "arras", "reunion"},
        ),
    ],
)
def test_cql2_in_ogc_and_rest(client, placed, cql, lang, expected):
    ids = {placed[name].pk for name in expected}
    params = {"filter": cql, "filter-lang": lang}
    ogc = client.get("/ogc/collections/observatoire/items", {"f": "json", **params})
    assert ogc.status_code == 200, ogc.content
    assert _ids(ogc.json()["features"]) == ids
    rest = client.get("/api/v1/resources/", params)
    assert _ids(rest.json()["features"]) == ids


@pytest.mark.parametrize(
    ("param", "value", "words"),
    [
        ("commune", "99999", "inconnu : 99999"),
        ("commune", "lille", "mal formé : LILLE"),
        ("epci", "20009320", "mal formé : 20009320"),
        ("epci", "123456789", "inconnu : 123456789"),
        ("departement", "99", "inconnu : 99"),
        ("region", "7", "mal formé : 7"),
    ],
)
def test_bad_codes_are_french_400s_naming_them(client, placed, param, value, words):
    rest = client.get("/api/v1/resources/", {param: value})
    assert rest.status_code == 400
    assert words in json.dumps(rest.json(), ensure_ascii=False)
    ogc = client.get("/ogc/collections/observatoire/items", {"f": "json", param: value})
    assert ogc.status_code == 400
    assert words in ogc.content.decode()


def test_tiles_filter(client, placed, var_dir):
    lille = placed["lille"]
    z, x, y = tile_of(lille.geom.x, lille.geom.y, 14)
    path = f"/tiles/observatoire/{z}/{x}/{y}.pbf"

    def ids(query):
        response = client.get(path, query)
        if response.status_code == 204:
            return set()
        assert response.status_code == 200, response.content
        layer = mapbox_vector_tile.decode(response.content).get("resources", {"features": []})
        return {f["id"] for f in layer["features"]}

    assert ids({"epci": MEL}) == {lille.pk}
    assert ids({"departement": "62"}) == set()
    assert ids({"filter": "communes IN ('59350')"}) == {lille.pk}
    assert ids({"filter": "communes IN ('62041')"}) == set()
    bad = client.get(path, {"epci": "12"})
    assert bad.status_code == 400 and "12" in bad.content.decode()


def test_exports_carry_and_filter_territories(client, placed):
    response = client.get("/exports/observatoire.csv", {"filter": "departements IN ('974')"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["titre"] == "Case créole"
    assert "97411" in row["communes"] and "974" in row["depts"]


def test_search_finds_by_departement_facet(client, placed):
    response = client.get("/recherche/", {"q": "beffroi", "departement": "62"})
    assert [r.title for r in response.context["result"].results] == ["Beffroi d'Arras"]


def test_suggestions_by_name(client, territories):
    results = client.get("/geo/territoires/", {"q": "metropole europeenne de li"}).json()
    assert {"code": MEL, "kind": "epci"}.items() <= results["results"][0].items()
    communes = client.get("/geo/territoires/", {"q": "Lille"}).json()["results"]
    assert communes[0]["code"] == "59350" and communes[0]["label"] == "Lille (59350)"


def test_map_panel_resolves_names(client, territories):
    from geo.codes import UnknownTerritory, resolve_territory

    assert resolve_territory("Lille (59350)") == "59350"
    assert resolve_territory("Métropole Européenne de Lille") == MEL
    assert resolve_territory("974") == "974"
    with pytest.raises(UnknownTerritory, match="inconnu"):
        resolve_territory("Atlantide")
