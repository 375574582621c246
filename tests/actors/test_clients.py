"""Real clients against a live server: OWSLib reads the ``acteurs-experiences`` collection as
QGIS's OGC API Features provider does (collections, queryables, items with bbox and CRS, an
item), anonymous and with HTTP Basic; GDAL/OGR lists it too where ``ogrinfo`` is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from actors.models import Experience

from ..clients import has_qgis, real_client
from ..ogc.test_qgis import probe

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mot-de-passe-test"


def test_owslib_reads_the_experiences(live_server, cast, profiles):
    anonymous = Features(f"{live_server.url}/ogc/")
    assert "acteurs-experiences" in anonymous.feature_collections()
    collection = anonymous.collection("acteurs-experiences")
    assert collection["title"] == "Acteurs : expériences"
    assert "client" in anonymous.collection_queryables("acteurs-experiences")["properties"]
    items = anonymous.collection_items("acteurs-experiences", limit=50)
    public = profiles.expected_visible(cast["anonymous"])
    assert {f["properties"]["profile"] for f in items["features"]} == public
    boxed = anonymous.collection_items("acteurs-experiences", bbox=[1.5, 48.5, 2.5, 50.5])
    assert {f["geometry"]["coordinates"][0] for f in boxed["features"]} == {2.0}
    lambert = anonymous.collection_items(
        "acteurs-experiences", crs="http://www.opengis.net/def/crs/EPSG/0/2154", limit=1
    )
    assert lambert["features"][0]["geometry"]["coordinates"][0] > 100_000
    hidden = Experience.objects.filter(profile__visibility="communaute").first()
    with pytest.raises(RuntimeError):
        anonymous.collection_item("acteurs-experiences", str(hidden.pk))
    member = Features(
        f"{live_server.url}/ogc/", auth=Authentication(cast["lecteur"].username, PASSWORD)
    )
    everything = member.collection_items("acteurs-experiences", limit=50)
    assert {f["properties"]["profile"] for f in everything["features"]} == (
        profiles.expected_visible(cast["lecteur"])
    )
    assert member.collection_item("acteurs-experiences", str(hidden.pk))["id"] == hidden.pk


@real_client("gdal", shutil.which("ogrinfo") is not None, "gdal-bin absent (ogrinfo)")
def test_ogrinfo_lists_the_public_experiences(live_server, cast, profiles):
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", f"OAPIF:{live_server.url}/ogc", "acteurs-experiences"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CPL_VSIL_CURL_USE_HEAD": "NO", "no_proxy": "*"},
    )
    assert result.returncode == 0, result.stderr
    assert "Feature Count: 3" in result.stdout


@pytest.mark.slow
@real_client("qgis", has_qgis(), "python3-qgis absent (bin/install-system-deps --test)")
def test_qgis_loads_the_public_experiences(live_server, cast, profiles):
    """QGIS 3.22's OGC API Features provider (Debian python3-qgis) loads the collection: the
    public profiles' experiences, and no experience of an « accounts only » profile."""
    got = probe(f"{live_server.url}/ogc", "acteurs-experiences")
    assert got["valid"]
    public = Experience.objects.filter(profile__visibility="public")
    assert sorted(got["titles"]) == sorted(public.values_list("title", flat=True))
    assert got["feature_count"] == public.count() > 0
