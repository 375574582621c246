"""The viewer in a real browser (Debian's Chromium driven by Playwright): the map draws our
tiles, a filter from the panel goes into the URL and the list, a marker opens its popup, the
list alternative works from the keyboard, and the embed page renders. Screenshots: var/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import Layer
from observatoire.kinds import Base, Kind
from tests.clients import CHROMIUM, chromium, real_client, sign_in
from tests.factories import ResourceFactory
from tests.layers.maps_fixtures import make_map
from workgroups.roles import Level

SHOTS = Path(settings.VAR_DIR) / "screenshots"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
RENDERED = """() => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return -1;
  return map.queryRenderedFeatures().filter(f => f.layer.id.startsWith('couche-')).length;
}"""

CLUSTERED = """() => {
  const map = window.spassCarte;
  if (!map.loaded()) return -1;
  const seen = new Map();
  map.queryRenderedFeatures().filter(f => f.layer.id.endsWith('-groupes'))
    .forEach(f => seen.set(JSON.stringify(f.geometry.coordinates), f.properties.count));
  return [...seen.values()].reduce((a, b) => a + b, 0);
}"""


@pytest.fixture
def page():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM and Playwright share a thread
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        yield page


@pytest.fixture
def public_map(cast):
    author = cast["author"]
    now = timezone.now()
    for i, kind in enumerate([Kind.MARQUEUR] * 3 + [Kind.PROJET] * 2):
        ResourceFactory(
            title=f"{Kind(kind).label} public {i}",
            kind=kind,
            group=cast.group,
            author=author,
            level=Level.PUBLIC,
            validated_at=now,
            geom=Point(3.0 + i * 0.02, 50.6 + i * 0.01, srid=4326),
        )
    ResourceFactory(
        title="Marqueur privé", group=cast.group, author=author, geom=Point(3.05, 50.62, srid=4326)
    )
    layer = Layer.objects.create(name="Observatoire", base=Base.OBSERVATOIRE)
    return make_map(
        cast,
        layer,
        "carte-navigateur",
        "Carte du navigateur",
        level=Level.PUBLIC,
        validated_at=now,
        center=Point(3.04, 50.62, srid=4326),
        zoom=11,
    )


OUTLINES = """() => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return -1;
  const names = new Set(map.queryRenderedFeatures({layers: ['communes-limites']})
    .map(f => f.properties.nom));
  return [map.queryRenderedFeatures({layers: ['departements-surface']}).length, names.size,
          names.has('Lille')];
}"""


def test_viewer_filter_list_popup_embed(live_server, page, territories, public_map):
    """Open a map, see markers on the offline basemap (our département and commune outline
    tiles), filter by kind from the panel: the URL carries the CQL2 and the list updates;
    click a marker for its popup; use the list by keyboard; open embed."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/cartes/carte-navigateur/")
    page.wait_for_function(f"({RENDERED})() > 0", timeout=30000)
    page.wait_for_function(f"({OUTLINES})()[1] > 10", timeout=30000)
    departements, communes, lille = page.evaluate(OUTLINES)
    assert departements > 0 and communes > 10 and lille
    assert any("/geo/tuiles/" in url for url in requested)
    assert not [
        u for u in requested if u.startswith("http") and not u.startswith(live_server.url)
    ]  # nothing remote: no glyphs, sprites or tiles from elsewhere
    assert page.evaluate(RENDERED) == 5  # the private marker is not drawn
    assert page.locator("#liste tbody tr").count() == 5
    page.screenshot(path=str(SHOTS / "carte.png"), full_page=True)

    page.evaluate("window.spassCarte.jumpTo({zoom: 7})")  # below the tiles' cluster zoom
    page.wait_for_function(f"({CLUSTERED})() === 5", timeout=30000)
    page.screenshot(path=str(SHOTS / "carte-regroupements.png"), full_page=True)
    page.evaluate("window.spassCarte.jumpTo({zoom: 11})")

    page.get_by_label("Projet", exact=True).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**/cartes/carte-navigateur/?filter=*")
    assert "kind+IN+%28%27projet%27%29" in page.url
    assert page.locator("#liste tbody tr").count() == 2
    page.wait_for_function(f"({RENDERED})() === 2", timeout=30000)
    assert page.get_by_label("Projet", exact=True).is_checked()  # state read back from URL
    page.screenshot(path=str(SHOTS / "carte-filtree.png"), full_page=True)

    point = page.evaluate("""() => {
      const f = window.spassCarte.queryRenderedFeatures()
        .find(f => f.layer.id.endsWith('-points'));
      const p = window.spassCarte.project(f.geometry.coordinates);
      const box = window.spassCarte.getCanvas().getBoundingClientRect();
      return [box.left + p.x, box.top + p.y, f.properties.title];
    }""")
    page.mouse.click(point[0], point[1])
    popup = page.locator(".maplibregl-popup a")
    popup.wait_for(timeout=10000)
    assert popup.inner_text() == point[2]

    page.locator("#liste button.localiser").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.maplibregl-popup').length >= 1")
    assert "Projet public" in page.locator(".maplibregl-popup a").last.inner_text()

    page.goto(f"{live_server.url}/cartes/carte-navigateur/embed/?filter=kind%3D%27marqueur%27")
    page.wait_for_function(f"({RENDERED})() > 0", timeout=30000)
    assert page.locator(".site-header").count() == 0
    assert page.locator("#liste tbody tr").count() == 3
    page.screenshot(path=str(SHOTS / "carte-integree.png"), full_page=True)

    # on a phone the page never scrolls sideways: the list scrolls inside its own box
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cartes/carte-navigateur/")
    page.wait_for_function(f"({RENDERED})() > 0", timeout=30000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / "carte-telephone.png"), full_page=True)


LABELS = """() => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return [];
  const ids = map.getStyle().layers.map(l => l.id).filter(id => id.endsWith('-etiquettes'));
  return map.queryRenderedFeatures({layers: ids}).map(f => f.properties.title);
}"""


def test_a_layer_labels_its_objects_with_the_projects_glyphs(live_server, page, public_map):
    """A layer whose label is « le titre » writes each visible object's title beside it, from
    the glyphs this site serves (nothing fetched elsewhere); the private marker has no label."""
    Layer.objects.update(label_field=Layer.LabelField.TITLE)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/cartes/carte-navigateur/")
    page.wait_for_function(f"({RENDERED})() > 0", timeout=30000)
    page.evaluate("window.spassCarte.jumpTo({zoom: 12})")
    page.wait_for_function(f"({LABELS})().length >= 5", timeout=30000)
    titles = set(page.evaluate(LABELS))
    assert titles == {f"Marqueur public {i}" for i in range(3)} | {
        f"Projet public {i}" for i in (3, 4)
    }
    assert any("/glyphs/" in url for url in requested)
    assert not [u for u in requested if u.startswith("http") and not u.startswith(live_server.url)]
    page.screenshot(path=str(SHOTS / "carte-etiquettes.png"))


ICONS_DRAWN = """() => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return null;
  const id = map.getStyle().layers.map(l => l.id).find(id => id.endsWith('-icones'));
  if (!id) return null;
  const image = map.getImage(map.getLayoutProperty(id, 'icon-image'));
  return {
    titles: map.queryRenderedFeatures({layers: [id]}).map(f => f.properties.title).sort(),
    width: image ? image.data.width : 0,
    sdf: image ? image.sdf : false,
  };
}"""


def test_a_layer_draws_the_projects_icon_coloured_by_kind(live_server, page, public_map):
    """A marker layer whose icon is « monument » draws each visible object as that icon (a
    symbol layer), from the SVG this site serves, drawn at twice the pixel ratio and coloured
    by kind through an SDF image; no console error or warning, no request elsewhere; the embed
    page draws it too."""
    Layer.objects.update(icon="monument")
    requested: list[str] = []
    failed: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.goto(f"{live_server.url}/cartes/carte-navigateur/")
    page.wait_for_function(
        f"(({ICONS_DRAWN})() || {{titles: []}}).titles.length === 5 && ({ICONS_DRAWN})().width > 1",
        timeout=30000,
    )
    drawn = page.evaluate(ICONS_DRAWN)
    assert drawn["titles"] == sorted(
        [f"Marqueur public {i}" for i in range(3)] + [f"Projet public {i}" for i in (3, 4)]
    )
    assert drawn["sdf"] and drawn["width"] >= 42  # 21 px at a pixel ratio of 2 at least
    assert (
        page.evaluate(
            "window.spassCarte.getStyle().layers.filter(l => l.id.endsWith('-points')).length"
        )
        == 0
    )  # no round markers under the icons
    assert any(url.endswith("/static/vendor/maki/monument.svg") for url in requested)
    assert not [u for u in requested if u.startswith("http") and not u.startswith(live_server.url)]
    legend = page.locator(".legende .pastille-icone").first
    assert "monument.svg" in legend.get_attribute("style")
    page.evaluate("window.spassCarte.jumpTo({zoom: 12})")
    page.wait_for_function(f"(({ICONS_DRAWN})() || {{titles: []}}).titles.length >= 3")
    page.screenshot(path=str(SHOTS / "carte-icones.png"))

    page.goto(f"{live_server.url}/cartes/carte-navigateur/embed/")
    page.wait_for_function(
        f"(({ICONS_DRAWN})() || {{titles: []}}).titles.length === 5", timeout=30000
    )
    page.screenshot(path=str(SHOTS / "carte-icones-integree.png"))
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert not [
        line
        for line in console
        if line.startswith(("error", "warning", "pageerror"))
        and "GL Driver Message" not in line  # the software GPU's own notes
        and "Failed to load resource" not in line  # the favicon, checked above
    ]


PREVIEW_ICONS = """() => {
  const map = window.spassApercu;
  if (!map || !map.loaded()) return -1;
  const ids = map.getStyle().layers.map(l => l.id).filter(id => id.endsWith('-icones'));
  return ids.length ? map.queryRenderedFeatures({layers: ids}).length : 0;
}"""


def open_editor(live_server, page, cast) -> None:
    """The map's editor, signed in as its author through the site's form."""
    author = cast["author"]
    author.set_password("mot-de-passe-test")
    author.save()
    sign_in(page, live_server.url, author.username, "mot-de-passe-test")
    page.goto(f"{live_server.url}/cartes/carte-navigateur/modifier/")


def test_the_editor_offers_icons_for_markers_only(live_server, page, public_map, cast):
    """In the editor the icon select shows for marker representations, with the chosen icon
    beside it; choosing one redraws the preview with that icon; a heat map hides the choice."""
    open_editor(live_server, page, cast)
    select = page.get_by_label("Icône des marqueurs")
    assert select.is_visible()
    assert page.evaluate(f"({PREVIEW_ICONS})()") in (-1, 0)  # round markers until one is chosen
    select.select_option("castle")
    # the author also sees the private marker (theirs)
    page.wait_for_function(f"({PREVIEW_ICONS})() === 6", timeout=30000)
    preview = page.locator(".champ-icon .icone-apercu")
    assert preview.is_visible() and "castle.svg" in preview.get_attribute("style")
    assert preview.get_attribute("aria-hidden") == "true"  # the select names the icon
    page.screenshot(path=str(SHOTS / "editeur-icones.png"))
    page.locator(".couche details.style").screenshot(path=str(SHOTS / "editeur-icone-choix.png"))
    page.get_by_label("Représentation").select_option("heatmap")
    expect_hidden = "document.querySelector('.champ-icon').hidden"
    page.wait_for_function(expect_hidden)
    page.get_by_label("Représentation").select_option("clusters")
    page.wait_for_function(f"!{expect_hidden}")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la carte").click()
    assert Layer.objects.get(maps=public_map).icon == "castle"


EXTENT_FIELDS = ("Ouest (longitude)", "Sud (latitude)", "Est (longitude)", "Nord (latitude)")
#: Whether the viewer shows the whole extent and fits it (one side spans most of the view).
FRAMES = """([w, s, e, n]) => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return null;
  const b = map.getBounds();
  const eps = 1e-6;
  const inside = b.getWest() <= w + eps && b.getEast() >= e - eps
    && b.getSouth() <= s + eps && b.getNorth() >= n - eps;
  const fit = Math.max((e - w) / (b.getEast() - b.getWest()),
                       (n - s) / (b.getNorth() - b.getSouth()));
  return {inside: inside, fit: fit};
}"""


def test_an_extent_drawn_in_the_editor_frames_the_viewer_on_any_screen(
    live_server, page, public_map, cast
):
    """« Dessiner l'emprise » and a drag on the preview write the four edges and outline the
    rectangle; Escape cancels a second drawing; saved, the viewer opens fitted to it at
    1280 px and at 390 px wide (a centre and zoom would frame a phone differently)."""
    open_editor(live_server, page, cast)
    page.wait_for_function("window.spassApercu && window.spassApercu.loaded()", timeout=30000)
    draw = page.get_by_role("button", name="Dessiner l'emprise")
    draw.click()
    assert draw.get_attribute("aria-pressed") == "true"
    box = page.locator("#carte-apercu canvas").bounding_box()
    left, top = box["x"] + 120, box["y"] + 100
    page.mouse.move(left, top)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(left + step * 50, top + step * 40)
    page.mouse.up()
    assert draw.get_attribute("aria-pressed") == "false"
    west, south, east, north = (
        float(page.get_by_label(n, exact=True).input_value()) for n in EXTENT_FIELDS
    )
    assert west < east and south < north
    assert page.evaluate(
        "window.spassApercu.queryRenderedFeatures({layers: ['emprise-contour']}).length"
    )
    page.screenshot(path=str(SHOTS / "editeur-emprise.png"))

    draw.click()  # a second drawing, cancelled: the edges stay
    page.mouse.move(left + 10, top + 10)
    page.mouse.down()
    page.mouse.move(left + 40, top + 40)
    page.keyboard.press("Escape")
    page.mouse.up()
    assert draw.get_attribute("aria-pressed") == "false"
    assert float(page.get_by_label("Ouest (longitude)", exact=True).input_value()) == west

    with page.expect_navigation():  # saved, back to the editor
        page.get_by_role("button", name="Enregistrer la carte").click()
    assert page.get_by_text("Carte enregistrée.").is_visible()
    public_map.refresh_from_db()
    assert public_map.extent == pytest.approx([west, south, east, north], abs=1e-6)

    for width, height, name in ((1280, 900, "bureau"), (390, 844, "telephone")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/cartes/carte-navigateur/")
        page.wait_for_function(f"({FRAMES})({public_map.extent})", timeout=30000)
        framed = page.evaluate(f"({FRAMES})({public_map.extent})")
        assert framed["inside"] and framed["fit"] > 0.8, (name, framed)
        page.screenshot(path=str(SHOTS / f"carte-emprise-{name}.png"))
