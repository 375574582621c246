"""Real GIS clients against a live server: OWSLib's OGC API Features client and GDAL/OGR's
OAPIF driver (the ``ogrinfo``/``ogr2ogr`` binaries), with the leak matrix on their view."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from workgroups.auth import create_feed_key

from ..clients import real_client
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_owslib_walks_the_whole_api(live_server, public, fast_paths):
    """OWSLib reads landing, conformance, collections, queryables, items and an item; the
    pages of items come from the OGC fast path, the rest from Django."""
    ledger, mark = fast_paths
    api = Features(f"{live_server.url}/ogc/")
    assert any(
        c.endswith("ogcapi-features-1/1.0/conf/core") for c in api.conformance()["conformsTo"]
    )
    assert "observatoire-marqueur" in api.feature_collections()
    assert api.collection("observatoire")["title"] == "Observatoire"
    queryables = api.collection_queryables("observatoire-marqueur")
    assert "epoque" in queryables["properties"]
    items = api.collection_items(
        "observatoire-marqueur", limit=5, bbox=[0, 40, 6.5, 50], sortby=("title", "desc")
    )
    assert [f["properties"]["title"] for f in items["features"]] == [
        "Marqueur 06",
        "Marqueur 05",
        "Marqueur 04",
        "Marqueur 03",
        "Marqueur 02",
    ]
    item = api.collection_item("observatoire", str(public[0].pk))
    assert item["id"] == public[0].pk
    assert ledger.layers(mark, "/observatoire-marqueur/items") == ["ogc"]
    assert ledger.layers(mark, f"/observatoire/items/{public[0].pk}") == ["ogc"]
    assert set(ledger.layers(mark, "/conformance")) == {"django"}


def test_owslib_with_credentials_or_feed_key_sees_member_resources(
    live_server, cast, world, fast_paths
):
    """Basic auth and the ?key= URL give OWSLib the member's view; anonymous gets less.
    Basic auth is Django's; the feed key's and anonymous pages are the OGC fast path's."""
    ledger, _mark = fast_paths
    member = cast["lecteur"]
    expected = world.visible_ids(member)
    with_auth = Features(f"{live_server.url}/ogc/", auth=Authentication(member.username, PASSWORD))
    mark = ledger.mark()
    got = with_auth.collection_items("observatoire", limit=100)
    assert {f["id"] for f in got["features"]} == expected
    assert ledger.layers(mark, "/observatoire/items") == ["django"]
    key = create_feed_key(member).key
    keyed = Features(f"{live_server.url}/ogc/?key={key}")
    mark = ledger.mark()
    assert {f["id"] for f in keyed.collection_items("observatoire")["features"]} == expected
    assert ledger.layers(mark, "/observatoire/items") == ["ogc"]
    anonymous = Features(f"{live_server.url}/ogc/")
    mark = ledger.mark()
    anon_ids = {f["id"] for f in anonymous.collection_items("observatoire")["features"]}
    assert ledger.layers(mark, "/observatoire/items") == ["ogc"]
    assert anon_ids == world.visible_ids(None) and anon_ids < expected
    hidden = world.resources[("groupe", True)].pk
    with pytest.raises(RuntimeError):
        anonymous.collection_item("observatoire", str(hidden))


ogr = real_client("gdal", shutil.which("ogrinfo") is not None, "gdal-bin absent (ogrinfo)")


def _ogr(*args: str, user=None) -> str:
    cmd = [*args]
    if user is not None:
        cmd += [
            "--config",
            "GDAL_HTTP_AUTH",
            "BASIC",
            "--config",
            "GDAL_HTTP_USERPWD",
            f"{user.username}:{PASSWORD}",
        ]
    result = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "GDAL_HTTP_TIMEOUT": "60",
            "CPL_VSIL_CURL_USE_HEAD": "NO",
            "no_proxy": "*",
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _ogr2ogr(live_server, collection: str, tmp_path, *args: str, user=None) -> list[dict]:
    """The features ``ogr2ogr`` copies from a collection of the live OGC API to GeoJSON."""
    out = tmp_path / "out.geojson"
    _ogr(
        "ogr2ogr",
        "-f",
        "GeoJSON",
        str(out),
        f"OAPIF:{live_server.url}/ogc/",
        collection,
        *args,
        user=user,
    )
    return json.loads(out.read_text())["features"]


@ogr
def test_ogrinfo_lists_layers_and_counts(live_server, public):
    """ogrinfo sees one layer per collection and the right feature count."""
    out = _ogr("ogrinfo", "-ro", "-q", f"OAPIF:{live_server.url}/ogc/")
    assert "observatoire-marqueur" in out and "activite-formation" in out
    summary = _ogr(
        "ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc/", "observatoire-marqueur"
    )
    assert "Feature Count: 12" in summary
    assert "epoque" in summary


@ogr
def test_ogr2ogr_pages_without_duplicates(live_server, public, tmp_path, requests_seen, fast_paths):
    """ogr2ogr follows next links page by page and gets every feature exactly once; every
    page is the OGC fast path's."""
    ledger, mark = fast_paths
    features = _ogr2ogr(live_server, "observatoire", tmp_path, "-oo", "PAGE_SIZE=5")
    ids = [f["properties"]["title"] for f in features]
    assert len(ids) == len(set(ids)) == len(public)
    offsets = {
        q.get("offset", ["0"])[0]
        for path, q in requests_seen
        if path.endswith("/observatoire/items")
    }
    assert {"5", "10"} <= offsets
    pages = ledger.layers(mark, "/observatoire/items")
    assert len(pages) >= 3 and set(pages) == {"ogc"}


@ogr
def test_ogrinfo_spat_is_pushed_as_bbox(live_server, public, requests_seen):
    """-spat becomes a bbox parameter on the server, and only features inside come back."""
    out = _ogr(
        "ogrinfo",
        "-ro",
        "-al",
        "-q",
        "-spat",
        "0.5",
        "44",
        "3.5",
        "46",
        f"OAPIF:{live_server.url}/ogc/",
        "observatoire-marqueur",
    )
    assert sorted(
        line.split("=")[-1].strip() for line in out.splitlines() if "title (String)" in line
    ) == ["Marqueur 01", "Marqueur 02", "Marqueur 03"]
    assert any("bbox" in q for path, q in requests_seen if path.endswith("/items"))


@ogr
@pytest.mark.parametrize("actor", ["anonymous", "account", "other_animateur", "lecteur"])
def test_ogr_leak_matrix(live_server, cast, world, tmp_path, actor, fast_paths):
    """Through OGR too, each actor gets exactly the resources they may see (anonymous through
    the OGC fast path, Basic credentials through Django)."""
    ledger, mark = fast_paths
    user = cast[actor]
    features = _ogr2ogr(
        live_server, "observatoire-marqueur", tmp_path, user=user if user.is_authenticated else None
    )
    titles = {f["properties"]["title"] for f in features}
    assert titles == {r.title for r in world.resources.values() if r.pk in world.visible_ids(user)}
    pages = ledger.layers(mark, "/observatoire-marqueur/items")
    assert pages and set(pages) == ({"django"} if user.is_authenticated else {"ogc"})
