"""QGIS 3.22's QgsVectorTileLayer loads our XYZ URL and draws what an anonymous visitor may
see — and nothing private (real client: Debian's python3-qgis, offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from tiles.grid import to_lonlat, to_mercator
from workgroups.roles import Level

from ..clients import SYSTEM_PYTHON, has_qgis, real_client
from ..factories import ResourceFactory

SCRIPT = Path(__file__).with_name("qgis_render.py")

pytestmark = real_client("qgis", has_qgis(), "python3-qgis n'est pas installé")


def test_qgis_vector_tile_layer_draws_public_not_private(live_server, transactional_db, fast_paths):
    """Across a 3 km window of Lille: the public validated resource on the left third is
    drawn, the private one on the right third is not."""
    cx, cy = to_mercator(3.0573, 50.6292)
    half = 1500.0
    left = to_lonlat(cx - half * 2 / 3, cy)
    right = to_lonlat(cx + half * 2 / 3, cy)
    ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), geom=Point(*left, srid=4326))
    ResourceFactory(level=Level.UTILISATEUR, geom=Point(*right, srid=4326))
    out = Path(settings.BASE_DIR) / "var" / "screenshots" / "tiles-qgis-z14.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(SCRIPT),
            f"{live_server.url}/tiles/observatoire/{{z}}/{{x}}/{{y}}.pbf",
            str(cx - half),
            str(cy - half),
            str(cx + half),
            str(cy + half),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["valid"]
    red_left, red_middle, red_right = report["red_by_third"]
    assert red_left > 10, report
    assert red_middle == 0 and red_right == 0, report
    ledger, mark = fast_paths
    tiles = ledger.layers(mark, ".pbf")
    assert tiles and set(tiles) == {"tiles"}  # every tile came from the tile fast path
