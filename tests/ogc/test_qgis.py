"""QGIS 3.22's OAPIF provider (Debian python3-qgis, system Python, offscreen) against a live
server: the layer loads, counts right, pages to the last feature, pushes the bbox, works in
Lambert-93 and with credentials, and shows nothing hidden."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from ..clients import SYSTEM_PYTHON, has_qgis, real_client
from .conftest import PASSWORD

PROBE = Path(__file__).with_name("qgis_probe.py")


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    real_client("qgis", has_qgis(), "python3-qgis absent (bin/install-system-deps --test)"),
]


def probe(url: str, collection: str, **options: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="qgis-") as home:  # 0700, as Qt wants it
        return _probe(home, url, collection, options)


def _probe(home: str, url: str, collection: str, options: dict[str, str]) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": home,
        "XDG_RUNTIME_DIR": home,
        "no_proxy": "*",
    }
    result = subprocess.run(
        [SYSTEM_PYTHON, str(PROBE), url, collection, *(f"{k}={v}" for k, v in options.items())],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_qgis_loads_counts_and_pages_to_the_last_feature(live_server, public, requests_seen):
    """With 5 features a page, QGIS follows next links and gets all 12 marqueurs once."""
    got = probe(f"{live_server.url}/ogc", "observatoire-marqueur", pageSize="5")
    assert got["valid"]
    assert got["feature_count"] == 12
    assert sorted(got["titles"]) == [f"Marqueur {i:02d}" for i in range(1, 13)]
    assert "epoque" in got["fields"]
    offsets = {q.get("offset", ["0"])[0] for path, q in requests_seen if path.endswith("/items")}
    assert {"5", "10"} <= offsets


def test_qgis_pushes_the_bbox_and_works_in_lambert93(live_server, public, requests_seen):
    """In a Lambert-93 project, a rectangle becomes a bbox=… request and features come
    back in Lambert-93 (QGIS 3.22's OAPIF layer is CRS84 and reprojects itself)."""
    got = probe(
        f"{live_server.url}/ogc",
        "observatoire-marqueur",
        project_crs="EPSG:2154",
        bbox="500000,6300000,760000,6500000",
    )
    assert got["valid"]
    assert all(400_000 < x < 900_000 and 6_000_000 < y < 7_200_000 for x, y in got["points"])
    assert got["titles"] and len(got["titles"]) < 12
    items = [q for path, q in requests_seen if path.endswith("/items")]
    assert any("bbox" in q for q in items)


@pytest.mark.parametrize("actor", ["anonymous", "lecteur"])
def test_qgis_leak_matrix(live_server, cast, world, actor, fast_paths):
    """QGIS with Basic credentials sees the member's resources; anonymous sees public ones
    (both from Django: see below)."""
    ledger, mark = fast_paths
    user = cast[actor]
    creds = {"username": user.username, "password": PASSWORD} if user.is_authenticated else {}
    got = probe(f"{live_server.url}/ogc", "observatoire-marqueur", **creds)
    assert got["valid"]
    expected = {r.title for r in world.resources.values() if r.pk in world.visible_ids(user)}
    assert set(got["titles"]) == expected
    assert got["feature_count"] == len(expected)
    pages = ledger.layers(mark, "/observatoire-marqueur/items")
    # QGIS 3.22 sends « Accept-Language: en,* » on every request, and the OGC fast path
    # leaves any request with a language to Django: QGIS is served by Django, also anonymous.
    assert pages and set(pages) == {"django"}


#: The first QGIS whose OAPIF provider edits (OGC API Features Part 4).
EDITING_QGIS = (3, 32)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-")[0].split(".")[:2])


def test_qgis_edits_with_the_persons_rights(live_server, nord):
    """As contrib (Basic), QGIS 3.32+ may add, change and delete, adds a marqueur in
    Lambert-93, moves contrib's own, deletes another of contrib's, commits; REST reads the
    addition back as contrib's, in demo-nord, level utilisateur, at the right lon/lat. As
    lecteur, the provider is read-only.

    QGIS before 3.32 (Debian 12 ships 3.22) has no OAPIF editing: its capabilities are
    read-only whoever asks, and the editing half is skipped — test_write_live.py drives the
    same HTTP sequence."""
    from pyproj import Transformer

    from observatoire.models import Resource

    from ..factories import ResourceFactory

    ResourceFactory(
        base=nord.own.base,
        kind=nord.own.kind,
        group=nord.group,
        author=nord["contrib"],
        title="À supprimer",
        level="groupe",
    )
    url = f"{live_server.url}/ogc"
    lecteur = probe(url, "observatoire-marqueur", username="lecteur", password=PASSWORD)
    assert lecteur["valid"] and lecteur["capabilities"] == []
    as_contrib = {"username": "contrib", "password": PASSWORD}
    contrib = probe(url, "observatoire-marqueur", **as_contrib)
    assert contrib["valid"]
    if _version(contrib["qgis_version"]) < EDITING_QGIS:
        assert contrib["capabilities"] == []
        pytest.skip(
            f"QGIS {contrib['qgis_version']} : son fournisseur OAPIF ne modifie pas (3.32+)"
        )
    assert set(contrib["capabilities"]) == {
        "add",
        "change_attributes",
        "change_geometries",
        "delete",
    }
    lille = Transformer.from_crs(4326, 2154, always_xy=True).transform(3.0573, 50.6292)
    edited = probe(
        url,
        "observatoire-marqueur",
        edit=f"{lille[0]},{lille[1]}",
        delete="À supprimer",
        **as_contrib,
    )
    assert edited["edit"]["committed"], edited["edit"]["errors"]
    added = Resource.objects.get(title="Ajout QGIS")
    assert (added.author, added.group, added.level) == (nord["contrib"], nord.group, "utilisateur")
    assert added.geom.x == pytest.approx(3.0573, abs=1e-5)
    assert added.geom.y == pytest.approx(50.6292, abs=1e-5)
    assert not Resource.objects.filter(title="À supprimer").exists()
