"""Basemaps: MapProxy serves the catalogue from a local tile source and caches under var/; its
generated configuration is validated by a system check; the offline style needs no network."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.checks import run_checks
from PIL import Image

from basemaps.models import Basemap
from layers.services import viewer_config

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def tile_server():
    """A local XYZ tile source that counts its hits."""
    hits: list[str] = []
    png = _png()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.fixture
def local_basemap(settings, tmp_path, tile_server):
    settings.SPASS = {**settings.SPASS, "BASEMAPS_DIR": str(tmp_path / "mapproxy")}
    url, hits = tile_server
    basemap = Basemap.objects.create(
        slug="local",
        name="Tuiles locales",
        source_type="tiles",
        url=url + "/{z}/{x}/{y}.png",
        max_zoom=18,
    )
    return basemap, hits, tmp_path / "mapproxy"


def test_mapproxy_serves_and_caches_tiles(client, local_basemap):
    """A tile is fetched once from the source, then served from the cache under the var dir;
    WMTS capabilities list the basemap."""
    _basemap, hits, root = local_basemap
    for _ in range(2):
        response = client.get("/basemaps/wmts/local/webmercator/3/4/2.png")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size == (256, 256)
    assert hits == ["/3/4/2.png"]
    assert list((root / "cache").rglob("*.png"))
    caps = client.get("/basemaps/wmts/1.0.0/WMTSCapabilities.xml")
    assert caps.status_code == 200 and b"<ows:Identifier>local</ows:Identifier>" in caps.content


def test_system_check_rejects_invalid_config(local_basemap):
    """The start-up check passes on a sound catalogue, fails on a source without {z}/{x}/{y},
    and MapProxy's own validation catches a broken reference in the generated file."""
    from basemaps import mapproxy

    assert not [e for e in run_checks() if e.id == "basemaps.E001"]
    Basemap.objects.create(
        slug="casse", name="Cassé", source_type="tiles", url="http://127.0.0.1/tuile.png"
    )
    errors = [e for e in run_checks() if e.id == "basemaps.E001"]
    assert len(errors) == 1 and "casse" in errors[0].msg
    config = mapproxy.build_config(mapproxy.raster_basemaps())
    config["caches"]["casse_cache"]["grids"] = ["inconnue"]
    assert mapproxy.config_errors(config)


def test_offline_default_style(client, settings, monkeypatch):
    """With no catalogue the viewer's style is the project's outline vector tiles, served
    locally; no glyph or sprite URL (so no labels) unless the site serves its own glyphs, and
    never a remote one."""
    style = client.get("/basemaps/contours/style.json").json()
    assert style["version"] == 8
    source = style["sources"]["contours"]
    assert (source["type"], source["tiles"]) == ("vector", ["/geo/tuiles/{z}/{x}/{y}.pbf"])
    assert {layer.get("source-layer") for layer in style["layers"]} == {
        None,
        "departements",
        "communes",
    }
    assert "glyphs" not in style and "sprite" not in style
    assert all(layer["type"] != "symbol" for layer in style["layers"])
    assert client.get("/basemaps/inconnu/style.json").status_code == 404

    monkeypatch.setitem(settings.SPASS, "BASEMAP_GLYPHS", "https://ailleurs.example/{range}")
    assert "glyphs" not in client.get("/basemaps/contours/style.json").json()
    monkeypatch.setitem(
        settings.SPASS, "BASEMAP_GLYPHS", "/static/vendor/glyphes/{fontstack}/{range}.pbf"
    )
    style = client.get("/basemaps/contours/style.json").json()
    assert style["glyphs"].startswith("/static/")
    [labels] = [layer for layer in style["layers"] if layer["type"] == "symbol"]
    assert labels["source-layer"] == "communes"
    assert labels["layout"]["text-field"] == ["get", "nom"]


def test_viewer_uses_mapproxy_for_raster_basemaps(local_basemap, cast):
    """A map on a raster basemap reads its tiles from our MapProxy, never from the source."""
    from layers.models import Map

    basemap, _hits, _root = local_basemap
    carte = Map.objects.create(
        slug="m", title="M", group=cast.group, author=cast["author"], basemap=basemap
    )
    style = viewer_config(carte, "")["style"]
    assert style["sources"]["fond"]["tiles"] == ["/basemaps/wmts/local/webmercator/{z}/{x}/{y}.png"]


def test_empty_catalogue_passes_the_system_check():
    """A fresh database has no raster basemap: the generated MapProxy configuration is still
    valid (a local debug layer), so ``manage.py`` commands are not blocked by basemaps.E001."""
    from basemaps import mapproxy

    assert not Basemap.objects.exists()
    assert not [e for e in run_checks() if e.id == "basemaps.E001"]
    assert mapproxy.config_errors(mapproxy.build_config([])) == []
