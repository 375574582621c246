"""The OGC API Features contract over real HTTP (Django test client) and real PostGIS."""

from __future__ import annotations

import json

import pytest
from rest_framework.authtoken.models import Token

from workgroups.auth import create_feed_key

from .conftest import basic

ITEMS = "/ogc/collections/observatoire/items"
L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def test_landing_conformance_and_openapi_are_self_contained(client, db):
    """Landing links to the API description, conformance declares Core, GeoJSON, CRS,
    filtering and the writes we serve; the OpenAPI document has no remote $ref."""
    landing = client.get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"service-desc", "conformance", "data"} <= rels
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    for cls in (
        "ogcapi-features-1/1.0/conf/core",
        "ogcapi-features-1/1.0/conf/geojson",
        "ogcapi-features-2/1.0/conf/crs",
        "ogcapi-features-3/1.0/conf/filter",
    ):
        assert any(c.endswith(cls) for c in conformance), cls
    part4 = {c.rsplit("/", 1)[1] for c in conformance if "ogcapi-features-4" in c}
    # writes (tests/ogc/test_write.py); not the timestamps nor the « handling » preference
    assert part4 == {"create-replace-delete", "update", "optimistic-locking-etags", "features"}
    assert client.get("/ogc/conformance").json()["conformsTo"] == conformance  # no growth
    assert client.get("/ogc/collections", {"f": "xml"}).status_code == 400
    assert client.head("/ogc/collections").status_code == 200
    response = client.get("/ogc/openapi")
    assert response.status_code == 200
    refs = list(_refs(response.json()))
    assert refs and all(ref.startswith("#/components/") for ref in refs)
    assert "/collections/observatoire-marqueur/items" in response.json()["paths"]


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_collections_come_from_the_registry_in_french_and_english(client, db):
    """Three bases and one collection per kind; French by default, English with lang=en."""
    ids = {c["id"] for c in client.get("/ogc/collections").json()["collections"]}
    assert {
        "observatoire",
        "mediatheque",
        "activite",
        "observatoire-marqueur",
        "mediatheque-photo",
        "activite-formation",
    } <= ids
    fr = client.get("/ogc/collections/observatoire-marqueur").json()
    en = client.get("/ogc/collections/observatoire-marqueur", {"lang": "en"}).json()
    assert fr["title"] == "Observatoire : Marqueur"
    assert en["title"] == "Observatory: Landmark"
    assert L93 in fr["crs"] and fr["storageCrs"].endswith("CRS84")
    assert client.get("/ogc/collections/inconnue").status_code == 404


def test_queryables_derive_from_kind_schemas_and_model(client, db):
    """Queryables list the model's properties and the kind's attributes with their types."""
    response = client.get("/ogc/collections/observatoire-realisation/queryables")
    assert response.status_code == 200
    props = response.json()["properties"]
    assert props["annee_livraison"]["type"] == "integer"
    assert props["annee_livraison"]["title"] == "Année de livraison"
    assert props["kind"]["enum"][0] == "marqueur"
    assert props["date_start"]["format"] == "date"
    assert "geometry" in props


def test_items_feature_shape_and_default_limit(client, public):
    """Features carry the REST ids and the documented properties; limit defaults to 100."""
    body = client.get(ITEMS).json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == len(public) == body["numberMatched"]
    feature = next(f for f in body["features"] if f["id"] == public[0].pk)
    assert {"title", "base", "kind", "group", "date_start", "date_end"} <= set(
        feature["properties"]
    )
    assert feature["properties"]["group"] == "groupe-matrice"
    assert feature["geometry"] == {"type": "Point", "coordinates": [1.0, 45.0]}
    marqueur = client.get(f"/ogc/collections/observatoire-marqueur/items/{public[0].pk}").json()
    assert marqueur["properties"]["epoque"] == "XIXe"


def test_paging_follows_next_links_without_duplicates(client, public):
    """Every full page has rel=next; following them yields each feature once."""
    url, seen, pages = f"{ITEMS}?limit=5", [], 0
    while url:
        body = client.get(url.replace("http://testserver", "")).json()
        seen += [f["id"] for f in body["features"]]
        nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
        url, pages = (nxt[0] if nxt else None), pages + 1
    assert pages == 3
    assert sorted(seen) == sorted(r.pk for r in public)


def test_limit_is_capped_and_offset_works(client, public, monkeypatch):
    """limit above 10000 is served as 10000; offset skips."""
    from django.http import QueryDict

    from ogc import params

    assert params.MAX_LIMIT == 10_000
    assert params.parse_items(QueryDict("limit=50000"), "observatoire", {}).limit == 10_000
    assert params.parse_items(QueryDict("limit=9999"), "observatoire", {}).limit == 9_999
    body = client.get(ITEMS, {"limit": 50000}).json()
    assert body["numberReturned"] == 14 and not any(link["rel"] == "next" for link in body["links"])
    # The cap, exercised over HTTP on 14 rows: lowered to 5, a limit of 50000 serves 5 and
    # links to the next page; below the cap, the asked limit is kept.
    monkeypatch.setattr(params, "MAX_LIMIT", 5)
    body = client.get(ITEMS, {"limit": 50000}).json()
    assert body["numberReturned"] == len(body["features"]) == 5
    assert any(link["rel"] == "next" for link in body["links"])
    assert client.get(ITEMS, {"limit": 4}).json()["numberReturned"] == 4
    monkeypatch.undo()
    body = client.get(ITEMS, {"limit": 2, "offset": 12, "sortby": "title"}).json()
    assert [f["properties"]["title"] for f in body["features"]] == [
        "Réalisation 0",
        "Réalisation 1",
    ]
    assert any(link["rel"] == "prev" for link in body["links"])


def test_number_matched_is_omitted_beyond_the_count_cap(client, public, settings):
    """Past the cap, numberMatched is omitted rather than paid for with a full count."""
    settings.SPASS = {**settings.SPASS, "OGC_COUNT_CAP": 5}
    body = client.get(ITEMS, {"limit": 3}).json()
    assert "numberMatched" not in body and body["numberReturned"] == 3
    assert any(link["rel"] == "next" for link in body["links"])
    last = client.get(ITEMS, {"limit": 3, "offset": 12}).json()
    assert last["numberMatched"] == 14


@pytest.mark.parametrize("extra", [{}, {"kind": "marqueur"}, {"bbox": "0,40,20,50"}])
def test_number_matched_below_the_cap_is_exact_on_full_pages(client, public, settings, extra):
    """Below the cap, a full page still carries the exact numberMatched (counted in the same
    statement as the page, with or without filters); past the last row too."""
    settings.SPASS = {**settings.SPASS, "OGC_COUNT_CAP": 20}
    expected = 12 if extra.get("kind") else 14
    body = client.get(ITEMS, {"limit": 3, **extra}).json()
    assert body["numberReturned"] == 3 and body["numberMatched"] == expected
    assert client.get(ITEMS, {"limit": 3, "offset": 6, **extra}).json()["numberMatched"] == expected
    beyond = client.get(ITEMS, {"limit": 3, "offset": 30, **extra}).json()
    assert beyond["numberReturned"] == 0 and beyond["numberMatched"] == expected


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": "zéro"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "3,2,1,0"}, "bbox"),
        ({"bbox-crs": L93}, "bbox-crs"),
        ({"bbox": "1,2,3,4", "bbox-crs": "EPSG:9999"}, "bbox-crs"),
        ({"crs": "EPSG:27572"}, "crs"),
        ({"datetime": "hier"}, "datetime"),
        ({"datetime": "2020-01-01/2019-01-01"}, "datetime"),
        ({"properties": "inconnue"}, "properties"),
        ({"sortby": "-inconnue"}, "sortby"),
        ({"filter": "title = "}, "filter"),
        ({"filter": "nope = 1"}, "filter"),
        ({"filter": "title = 'a'", "filter-lang": "ecql"}, "filter-lang"),
        ({"filter-crs": L93, "filter": "title = 'a'"}, "filter-crs"),
        ({"f": "xml"}, "f"),
        ({"inconnu": "1"}, "inconnu"),
        ({"skipGeometry": "peut-être"}, "skipGeometry"),
        ({"offset": "1" + "0" * 30}, "offset"),
        ({"date_start": "pas-une-date"}, "date_start"),
        ({"filter": "date_start > 'pas-une-date'"}, "filter"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, db, params, param):
    """Unknown parameters and bad values answer 400 with a French message naming them."""
    response = client.get(ITEMS, params)
    assert response.status_code == 400, response.content
    assert param in response.json()["description"]


def test_item_rejects_unknown_parameters_and_ids(client, public):
    """Item: unknown parameter → 400, unknown or non-numeric id → 404."""
    assert client.get(f"{ITEMS}/{public[0].pk}", {"limit": 3}).status_code == 400
    assert client.get(f"{ITEMS}/abc").status_code == 404
    assert (
        client.get(f"/ogc/collections/observatoire-projet/items/{public[0].pk}").status_code == 404
    )


def test_crs_lambert93_and_epsg4326_axis_order(client, public):
    """crs reprojects with Content-Crs; EPSG:4326 is answered lat/lon, CRS84 lon/lat."""
    url = f"{ITEMS}/{public[1].pk}"
    response = client.get(url, {"crs": L93})
    assert response["Content-Crs"] == f"<{L93}>"
    x, y = response.json()["geometry"]["coordinates"]
    assert 600_000 < x < 800_000 and 6_400_000 < y < 6_600_000
    lat_lon = client.get(url, {"crs": EPSG4326}).json()["geometry"]["coordinates"]
    assert lat_lon == [45.0, 2.0]
    assert client.get(url)["Content-Crs"].endswith("CRS84>")
    for srid in (3857, 5490, 2972, 2975, 4471):
        assert (
            client.get(url, {"crs": f"http://www.opengis.net/def/crs/EPSG/0/{srid}"}).status_code
            == 200
        )


def test_bbox_in_crs84_epsg4326_and_lambert93(client, public):
    """bbox selects by place, in the CRS named by bbox-crs."""

    def ids(params):
        return sorted(
            f["properties"]["title"] for f in client.get(ITEMS, params).json()["features"]
        )

    assert ids({"bbox": "0.5,44,3.5,46"}) == ["Marqueur 01", "Marqueur 02", "Marqueur 03"]
    assert ids({"bbox": "44,0.5,46,3.5", "bbox-crs": EPSG4326}) == [
        "Marqueur 01",
        "Marqueur 02",
        "Marqueur 03",
    ]
    paris_l93 = "640000,6850000,665000,6870000"
    assert ids({"bbox": paris_l93, "bbox-crs": L93}) == ["Réalisation 0", "Réalisation 1"]


def test_datetime_sortby_properties_and_equality(client, public):
    """datetime filters on the resource dates; sortby orders; properties trims; kind=…"""
    body = client.get(
        ITEMS,
        {"datetime": "2010-01-01/..", "sortby": "-date_start", "properties": "title,date_start"},
    ).json()
    titles = [f["properties"]["title"] for f in body["features"]]
    assert titles == ["Marqueur 12", "Marqueur 11", "Marqueur 10"]
    assert set(body["features"][0]["properties"]) == {"title", "date_start"}
    instant = client.get(ITEMS, {"datetime": "2003-06-01T00:00:00Z"}).json()
    assert [f["properties"]["title"] for f in instant["features"]] == ["Marqueur 03"]
    assert client.get(ITEMS, {"kind": "realisation"}).json()["numberMatched"] == 2
    typed = client.get(
        "/ogc/collections/observatoire-realisation/items", {"annee_livraison": "1991"}
    ).json()
    assert [f["properties"]["title"] for f in typed["features"]] == ["Réalisation 1"]


def test_cql2_text_and_json_filters(client, public):
    """filter runs through the shared CQL2 module, in text and JSON, with kind attributes."""
    text = client.get(
        "/ogc/collections/observatoire-marqueur/items",
        {"filter": "epoque = 'XIXe' AND S_INTERSECTS(geometry, BBOX(0, 40, 6.5, 50))"},
    ).json()
    assert sorted(f["properties"]["title"] for f in text["features"]) == [
        "Marqueur 01",
        "Marqueur 03",
        "Marqueur 05",
    ]
    cql_json = json.dumps({"op": ">", "args": [{"property": "annee_livraison"}, 1990]})
    body = client.get(
        "/ogc/collections/observatoire-realisation/items",
        {"filter": cql_json, "filter-lang": "cql2-json"},
    ).json()
    assert [f["properties"]["title"] for f in body["features"]] == ["Réalisation 1"]


def test_html_and_csv_formats(client, public):
    """f=html renders pygeoapi's page; f=csv gives one row per feature with WKT."""
    html = client.get(ITEMS, {"f": "html", "limit": 2})
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    csv = client.get(ITEMS, {"f": "csv"}).content.decode().splitlines()
    assert csv[0].startswith("id,title") and csv[0].endswith(",wkt")
    assert len(csv) == 1 + len(public) and "POINT (1 45)" in "".join(csv)
    assert client.get("/ogc/collections", {"f": "html"}).status_code == 200
    jsonld = client.get(ITEMS, {"f": "jsonld", "limit": 1})
    assert "@context" in jsonld.json()


def test_authentication_channels_and_private_caching(client, cast, world):
    """Basic, Token and ?key= all identify the person and answer Cache-Control: private;
    wrong credentials are 401, never downgraded to anonymous."""
    member = cast["lecteur"]
    token = Token.objects.create(user=member)
    key = create_feed_key(member, "QGIS").key
    expected = len(world.visible_ids(member))
    for kwargs, params in (
        (basic(member), {}),
        ({"HTTP_AUTHORIZATION": f"Token {token.key}"}, {}),
        ({}, {"key": key}),
    ):
        response = client.get(ITEMS, params, **kwargs)
        assert response.status_code == 200
        assert response.json()["numberMatched"] == expected
        assert response["Cache-Control"] == "private"
    anonymous = client.get(ITEMS)
    assert "private" not in anonymous.get("Cache-Control", "")
    for kwargs, params in (
        ({"HTTP_AUTHORIZATION": "Basic Zm9vOmJhcg=="}, {}),
        ({}, {"key": "fausse"}),
    ):
        for url in (ITEMS, "/ogc/collections"):
            response = client.get(url, params, **kwargs)
            assert response.status_code == 401
            assert "WWW-Authenticate" in response
