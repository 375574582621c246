"""The feeds a uMap instance (another origin) reads answer ``Access-Control-Allow-Origin: *``
without ever allowing credentials: OGC API items (live uMap layers), exports, .umap files."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "https://umap.example.org"}


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/observatoire/items?f=json&limit=5&bbox=2,50,4,51",
        "/ogc/collections/observatoire/items?f=json&filter=kind%20IN%20(%27marqueur%27)"
        "&filter-lang=cql2-text",
        "/ogc/collections?f=json",
        "/exports/observatoire.geojson",
    ],
)
def test_feeds_allow_any_origin_without_credentials(client, url):
    response = client.get(url, **ORIGIN)
    assert response.status_code == 200, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_bad_feed_request_still_has_cors(client):
    """A 400 on the items (bad filter) is readable by the other site too (its message)."""
    response = client.get(
        "/ogc/collections/observatoire/items?f=json&filter=nope%20%3D%201", **ORIGIN
    )
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_site_pages_are_not_opened_to_other_origins(client):
    """The middleware only opens the feeds: the home page and the account pages stay closed."""
    assert "Access-Control-Allow-Origin" not in client.get("/", **ORIGIN)
