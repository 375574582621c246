"""The OGC API pages in headless Chromium (Debian's) at desktop and phone widths: the map
draws the page's features from the site alone, nothing overflows sideways. Screenshots go to
var/screenshots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.clients import real_client
from tests.ui import test_browser as ui

#: Chromium and the screenshot folder, as the site's other browser tests have them.
browser, shots = ui.browser, ui.shots

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(ui.CHROMIUM).exists(), "Debian chromium absent"),
]

SIZES = {"bureau": (1280, 900), "telephone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_items_item_and_collection_pages_in_chromium(
    live_server, browser, shots, territories, public, size
):
    """Each page loads with no request leaving the site and no failed one; the items and item
    maps draw their features; the page is no wider than the screen."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
    host = urlsplit(live_server.url).netloc
    outside, failed = [], []
    # MapLibre's workers are blob: URLs of the page itself
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http") and urlsplit(r.url).netloc != host and outside.append(r.url)
        ),
    )
    page.on("requestfailed", lambda r: failed.append(r.url))
    # the browser's own /favicon.ico guess is the site's business, not these pages'
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and failed.append(f"{r.status} {r.url}")
        ),
    )
    base = f"{live_server.url}/ogc/collections/observatoire"
    pages = {
        "items": (f"{base}/items?f=html&limit=10", str(min(10, len(public)))),
        "item": (f"{base}/items/{public[0].pk}?f=html", "1"),
        "collection": (f"{base}?f=html", None),
        "accueil": (f"{live_server.url}/ogc/?f=html", None),
    }
    for name, (url, drawn) in pages.items():
        page.goto(url)
        if drawn:
            page.wait_for_selector(f"#ogc-carte[data-objets='{drawn}']", timeout=20_000)
            page.wait_for_timeout(300)  # the basemap tiles
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(shots / f"ogc-{name}-{size}.png"), full_page=True)
        assert overflow <= 0, (name, size, overflow)
    assert outside == [] and failed == []
    page.close()
