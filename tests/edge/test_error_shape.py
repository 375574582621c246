"""One error body on every machine channel: ``{"code": …, "description": …}`` (OGC API's
exception document), whatever the channel and the status. DRF's REST API keeps DRF's
``{"detail": …}`` and its per-field errors (see ``workgroups/edge/errors.py``)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BAD_TOKEN = {"HTTP_AUTHORIZATION": "Token nope"}


@pytest.mark.parametrize(
    ("path", "headers", "status", "code"),
    [
        # OGC API
        ("/ogc/collections/observatoire/items?limit=zero", {}, 400, "InvalidParameterValue"),
        ("/ogc/collections/nope/items", {}, 404, "NotFound"),
        ("/ogc/collections?key=nope", {}, 401, "Unauthorized"),
        ("/ogc/collections", BAD_TOKEN, 401, "Unauthorized"),
        # tiles
        ("/tiles/nope/1/0/0.pbf", {}, 404, "NotFound"),
        ("/tiles/observatoire/3/8/0.pbf", {}, 404, "NotFound"),
        ("/tiles/observatoire.json?key=nope", {}, 401, "Unauthorized"),
        # exports
        ("/exports/observatoire.csv?filter=nope%20%3D%201", {}, 400, "InvalidParameterValue"),
        ("/exports/inconnue.geojson", {}, 404, "NotFound"),
        ("/exports/observatoire.geojson?key=nope", {}, 401, "Unauthorized"),
        # maps and their machine answers
        ("/oembed/?format=xml", {}, 501, "NotImplemented"),
        ("/oembed/?url=http://testserver/nope/", {}, 404, "NotFound"),
        ("/cartes/?key=nope", {}, 401, "Unauthorized"),
        # the edge
        ("/ogc/collections?f=%00", {}, 400, "InvalidParameterValue"),
        ("/exports/observatoire.csv?filter=%FF", {}, 400, "InvalidParameterValue"),
    ],
)
def test_every_machine_error_has_the_one_shape(client, path, headers, status, code):
    response = client.get(path, **headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "description"}, body
    assert body["code"] == code and body["description"]
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Basic")


def test_the_rest_api_keeps_drfs_shape(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
