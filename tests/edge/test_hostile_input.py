"""Hostile input never makes a 500: NUL bytes, invalid UTF-8 and over-long values are
refused at the edge with a French 400 naming the culprit, through the live server (WSGI
fast paths included) and through Django's test client alike."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)

#: (path, what the message names) — the URLs schemathesis found as 500s, and a few more.
REFUSED = [
    ("/ogc/conformance?key=%00", "« key »"),
    ("/ogc/collections/activite/items?key=%00", "« key »"),
    ("/tiles/observatoire/14/8311/5467.pbf?key=%00", "« key »"),
    ("/recherche/?q=%00", "« q »"),
    ("/recherche/?q=%FF", "« q »"),
    ("/api/v1/resources/?q=%C3%28", "« q »"),
    ("/api/v1/resources/?q=a%00b", "« q »"),
    ("/api/v1/resources/?title=%00", "« title »"),
    ("/exports/observatoire.geojson?filter=%00", "« filter »"),
    ("/api/v1/resources/%00/", "Chemin"),
]


@pytest.mark.parametrize(("path", "named"), REFUSED)
def test_hostile_values_are_a_400_naming_them(live_server, path, named):
    response = requests.get(f"{live_server.url}{path}", timeout=30)
    assert response.status_code == 400
    if path.startswith("/recherche/"):
        assert response.headers["Content-Type"].startswith("text/html")
        assert "Requête invalide" in response.text and named in response.text
    else:
        body = response.json()
        assert body["code"] == "InvalidParameterValue"
        assert named in body["description"] and "invalide" in body["description"]


def test_non_ascii_feature_ids_are_a_404(live_server):
    """Valid UTF-8 ids are just unknown ids, through granian's path as through Django's:
    the OGC fast path used to write the decoded path back into the environ Django read."""
    for fid in ("%C8%BA", "%C3%A9", "abc"):
        response = requests.get(f"{live_server.url}/ogc/collections/activite/items/{fid}")
        assert response.status_code == 404, fid
        assert response.json()["code"] == "NotFound"


def test_over_long_values_and_headers_are_refused(live_server, settings):
    settings.SPASS = {**settings.SPASS, "MAX_PARAM_CHARS": 100}
    url = f"{live_server.url}/ogc/collections"
    assert requests.get(url, params={"f": "json"}).status_code == 200
    long_param = requests.get(url, params={"f": "j" * 101})
    assert long_param.status_code == 400 and "100 caractères" in long_param.json()["description"]
    long_header = requests.get(url, headers={"X-Client": "x" * 101})
    assert long_header.status_code == 400
    assert "« X-Client »" in long_header.json()["description"]
    assert requests.get(f"{url}/{'a' * 101}").status_code == 400


def test_test_client_path_is_covered_too(client):
    """Without the WSGI wrapper (Django's test client) the middleware runs the same check,
    and form bodies are checked there (bytes, so invalid UTF-8 is seen)."""
    assert client.get("/recherche/", {"q": "\x00"}).status_code == 400
    response = client.post(
        "/connexion/", b"username=a%FF&password=b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Champ « username »" in response.content.decode()
    multipart = client.post("/connexion/", {"username": "a\x00b", "password": "b"})
    assert multipart.status_code == 400
    assert "Champ « username »" in multipart.content.decode()
    assert client.get("/recherche/", {"q": "église"}).status_code == 200
