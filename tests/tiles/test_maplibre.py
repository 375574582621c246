"""MapLibre GL JS, served by the project, renders our tiles in headless Chromium.

The preview page loads a style on the collection's TileJSON; once the map is ``idle`` the
test asks MapLibre which features it drew, then saves a screenshot under ``var/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone
from playwright.sync_api import sync_playwright

from workgroups.roles import Level

from ..clients import real_client
from ..factories import ResourceFactory

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]

pytestmark = real_client("chromium", Path(CHROMIUM).exists(), "chromium (TEST_PACKAGES) absent")


def _rendered(page, layer: str) -> list[dict]:
    return page.evaluate(
        """(layer) => window.spassMap.queryRenderedFeatures({layers: [layer]})
             .map(f => ({id: f.id, properties: f.properties}))""",
        layer,
    )


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.spassMapIdle !== undefined")
    page.evaluate("window.spassMapIdle")


@pytest.fixture
def lille(transactional_db):
    """Five public resources around Lille, and one private one among them."""
    shown = [
        ResourceFactory(
            level=Level.PUBLIC,
            validated_at=timezone.now(),
            kind="projet" if i % 2 else "marqueur",
            geom=Point(3.05 + 0.004 * i, 50.63 + 0.002 * i, srid=4326),
        )
        for i in range(5)
    ]
    hidden = ResourceFactory(level=Level.UTILISATEUR, geom=Point(3.058, 50.634, srid=4326))
    return shown, hidden


def test_maplibre_renders_our_tiles(live_server, lille, fast_paths):
    """At z14 MapLibre draws exactly the public resources (the private one is absent, also
    from the z6 cluster count); screenshots land in var/screenshots/."""
    shown, hidden = lille
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 700}, locale="fr-FR")
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, f"{live_server.url}/tiles/observatoire/carte/#14/50.636/3.058")
        features = _rendered(page, "ressources")
        page.screenshot(path=SCREENSHOTS / "tiles-maplibre-z14.png")
        _open(page, f"{live_server.url}/tiles/observatoire/carte/#6/50.636/3.058")
        clusters = _rendered(page, "regroupements")
        page.screenshot(path=SCREENSHOTS / "tiles-maplibre-z6.png")
        tilejson = page.locator("#tilejson-url").inner_text()
        browser.close()
    assert not errors
    assert {f["properties"]["id"] for f in features} == {r.pk for r in shown}
    assert hidden.pk not in {f["id"] for f in features}
    assert sum(f["properties"]["count"] for f in clusters) == len(shown)
    assert tilejson == f"{live_server.url}/tiles/observatoire.json"
    ledger, mark = fast_paths
    tiles = ledger.layers(mark, ".pbf")
    assert tiles and set(tiles) == {"tiles"}  # every tile came from the tile fast path
