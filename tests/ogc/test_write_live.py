"""The HTTP sequence QGIS (3.32+, ``qgsoapifprovider.cpp``) sends to edit an OAPIF layer,
over real HTTP to the live server with Basic credentials, read back through the REST API.

QGIS reads ``conformsTo`` (Part 2 for ``Content-Crs``, Part 5 for the schema), asks
``OPTIONS …/items`` (adding if ``Allow`` lists POST), then ``OPTIONS …/items/{id}`` on the
first feature — or on ``unknown_id`` when the layer is empty — (PUT: change geometries and
attributes, PATCH: partial updates, DELETE). It POSTs ``application/geo+json`` without id,
in the layer's CRS with ``Content-Crs`` (an URI without brackets), takes the id after
``/items/`` in ``Location`` and GETs it; it PUTs the whole feature back (every field,
read-only ones included) or PATCHes ``application/merge-patch+json``; it DELETEs."""

from __future__ import annotations

import httpx
import pytest
from pyproj import Transformer

from observatoire.models import Resource

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
TO_L93 = Transformer.from_crs(4326, 2154, always_xy=True)
LILLE = (3.0573, 50.6292)
ROUBAIX = (3.1746, 50.6942)


def _client(live_server, user) -> httpx.Client:
    return httpx.Client(
        base_url=f"{live_server.url}/ogc",
        auth=(user.username, PASSWORD),
        headers={"Accept-Language": "en,*"},  # as QGIS 3.22 sends it
        timeout=30,
    )


def _allow(response: httpx.Response) -> set[str]:
    assert 200 <= response.status_code < 300, response.text
    return {m.strip() for m in response.headers["Allow"].split(",")}


def _qgis_feature(fields: list[str], coordinates, **values) -> dict:
    """What QgsJsonExporter writes for a new feature of a layer with ``fields``: every field,
    null when not filled, and no id."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(coordinates)},
        "properties": {name: values.get(name) for name in fields},
    }


def test_qgis_sequence_as_contrib(live_server, nord):
    """contrib adds a marqueur in Lambert-93, changes it (PUT, then PATCH of geometry and
    attributes) and deletes it; REST reads it back as contrib's, in demo-nord, level
    utilisateur, at the right lon/lat."""
    with _client(live_server, nord["contrib"]) as ogc:
        conformance = ogc.get("/conformance").json()["conformsTo"]
        assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conformance
        assert "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas" in conformance
        collection = ogc.get("/collections/observatoire-marqueur").json()
        schema_link = next(
            lk for lk in collection["links"] if lk["rel"].endswith("/def/rel/ogc/1.0/schema")
        )
        schema = ogc.get(schema_link["href"]).json()
        fields = [name for name, prop in schema["properties"].items() if "type" in prop]
        items = "/collections/observatoire-marqueur/items"
        assert "POST" in _allow(ogc.options(items))
        first = ogc.get(items, params={"limit": 10}).json()["features"][0]["id"]
        assert _allow(ogc.options(f"{items}/{first}")) >= {"GET", "OPTIONS"}
        empty = "/collections/observatoire-action/items"
        assert ogc.get(empty).json()["features"] == []
        assert _allow(ogc.options(f"{empty}/unknown_id")) >= {"PUT", "PATCH", "DELETE"}

        body = _qgis_feature(
            fields, TO_L93.transform(*LILLE), title="Beffroi de Lille", epoque="XXe"
        )
        del body["properties"]["id"]  # QGIS drops it when ids are not in the properties
        created = ogc.post(
            items,
            json=body,
            headers={"Content-Type": "application/geo+json", "Content-Crs": L93},
        )
        assert created.status_code == 201, created.text
        location = created.headers["Location"]
        prefix, pk = location.rsplit("/items/", 1)
        assert location.startswith(live_server.url) and f"{prefix}/items".endswith(items)
        assert pk.isdigit()
        got = ogc.get(f"{items}/{pk}")
        assert got.status_code == 200
        assert _allow(ogc.options(f"{items}/{pk}")) >= {"PUT", "PATCH", "DELETE"}

        feature = got.json()
        feature.pop("links")
        feature["properties"]["title"] = "Beffroi de l'hôtel de ville"
        feature["geometry"]["coordinates"] = list(TO_L93.transform(*ROUBAIX))
        replaced = ogc.put(
            f"{items}/{pk}",
            json=feature,
            headers={"Content-Type": "application/geo+json", "Content-Crs": L93},
        )
        assert replaced.status_code == 204, replaced.text
        moved = ogc.patch(
            f"{items}/{pk}",
            json={"geometry": {"type": "Point", "coordinates": list(TO_L93.transform(*LILLE))}},
            headers={"Content-Type": "application/merge-patch+json", "Content-Crs": L93},
        )
        assert moved.status_code == 204, moved.text
        renamed = ogc.patch(
            f"{items}/{pk}",
            json={"properties": {"protection": "classe"}},
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert renamed.status_code == 204, renamed.text

        rest = httpx.get(
            f"{live_server.url}/api/v1/resources/{pk}/",
            auth=(nord["contrib"].username, PASSWORD),
        ).json()
        assert rest["properties"]["author"] == "contrib"
        assert rest["properties"]["group"] == "demo-nord"
        assert rest["properties"]["level"] == "utilisateur"
        assert rest["properties"]["title"] == "Beffroi de l'hôtel de ville"
        assert rest["properties"]["attributes"] == {"epoque": "XXe", "protection": "classe"}
        lon, lat = rest["geometry"]["coordinates"]
        assert lon == pytest.approx(LILLE[0], abs=1e-6) and lat == pytest.approx(LILLE[1], abs=1e-6)

        assert ogc.delete(f"{items}/{pk}").status_code == 204
        assert ogc.get(f"{items}/{pk}").status_code == 404
        assert not Resource.objects.filter(pk=int(pk)).exists()


def test_qgis_sequence_as_lecteur(live_server, nord):
    """The lecteur's Allow is read-only everywhere; forced writes answer 403 (with the
    one error body and Allow) and change nothing."""
    before = dict(Resource.objects.values_list("pk", "updated_at"))
    with _client(live_server, nord["lecteur"]) as ogc:
        items = "/collections/observatoire-marqueur/items"
        assert _allow(ogc.options(items)) == {"GET", "HEAD", "OPTIONS"}
        assert _allow(ogc.options(f"{items}/{nord.own.pk}")) == {"GET", "HEAD", "OPTIONS"}
        assert _allow(ogc.options(f"{items}/unknown_id")) == {"GET", "HEAD", "OPTIONS"}
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(LILLE)},
            "properties": {"title": "Forcé"},
        }
        geojson = {"Content-Type": "application/geo+json"}
        for response in (
            ogc.post(items, json=feature, headers=geojson),
            ogc.put(f"{items}/{nord.own.pk}", json=feature, headers=geojson),
            ogc.patch(f"{items}/{nord.own.pk}", json={"properties": {"title": "Forcé"}}),
            ogc.delete(f"{items}/{nord.own.pk}"),
        ):
            assert response.status_code == 403, response.text
            assert set(response.json()) == {"code", "description"}
            assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert dict(Resource.objects.values_list("pk", "updated_at")) == before
    assert not Resource.objects.filter(title="Forcé").exists()
