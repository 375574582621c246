"""The home page in headless Chromium (Debian's) at desktop and phone widths: the map draws
the newest public resources from the site alone, nothing overflows sideways, the focus is
visible. Screenshots go to /tmp/spass-home-*.png for a person to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import Layer
from observatoire.kinds import Base, Kind
from tests.clients import real_client
from tests.factories import GroupFactory, ResourceFactory
from tests.layers.maps_fixtures import make_map
from tests.ui import test_browser as ui
from workgroups.models import Group
from workgroups.roles import Level

browser = ui.browser

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(ui.CHROMIUM).exists(), "Debian chromium absent"),
]

SIZES = {"bureau": (1280, 900), "telephone": (390, 844)}
TITLES = [
    "Beffroi de Douai",
    "Cité minière de Wallers-Arenberg",
    "Église Saint-Martin d'Ors",
    "Logements expérimentaux des années 1970 à Villeneuve-d'Ascq",
    "Terril du Pays à part",
    "Guide des clôtures et haies du Cambrésis",
]


@pytest.fixture
def platform(cast):
    now = timezone.now()
    for i, title in enumerate(TITLES):
        ResourceFactory(
            title=title,
            summary="Une ressource partagée par le réseau des CAUE.",
            base=Base.MEDIATHEQUE if i == 5 else Base.OBSERVATOIRE,
            kind=Kind.MARQUEUR,
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            geom=Point(3.0 + i / 10, 50.3 + i / 20, srid=4326),
        )
    layer = Layer.objects.create(name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    make_map(cast, layer, "beffrois", "Carte des beffrois", level=Level.PUBLIC, validated_at=now)
    GroupFactory(slug="ors", name="Commune d'Ors", family=Group.Family.PROJET)
    GroupFactory(slug="bassin-minier", name="Bassin minier", family=Group.Family.THEME)


@pytest.mark.parametrize("size", SIZES)
def test_home_page_in_chromium(live_server, browser, territories, platform, size):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
    host = urlsplit(live_server.url).netloc
    outside, failed = [], []
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http") and urlsplit(r.url).netloc != host and outside.append(r.url)
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and failed.append(f"{r.status} {r.url}")
        ),
    )
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#mini-carte canvas", timeout=20_000)
    page.wait_for_timeout(800)  # the outlines and the points
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=f"/tmp/spass-home-{size}.png", full_page=True)
    # keyboard: the skip link first, then the search box is reachable and shows its focus
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("#accueil-q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.screenshot(path=f"/tmp/spass-home-{size}-focus.png")
    assert overflow <= 0, overflow
    assert outline not in ("", "none")
    assert outside == [] and failed == []
    page.fill("#accueil-q", "beffroi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=beffroi")
    page.close()
