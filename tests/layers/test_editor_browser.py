"""The map editor in a real browser (Debian's Chromium driven by Playwright) on the demo data:
``contrib`` makes a two-layer map of demo-nord (marqueurs coloured by kind, clustered at low
zoom by our tiles; the activité base as a heat map); a filter set in the panel and the same
filter typed as CQL2 give the same features; the map is shared, ``anim`` validates it, and it
opens anonymously, embeds and exports to ``.umap``. Screenshots (desktop 1280, phone 390):
``var/screenshots/editeur-*.png``."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from layers.demo import load_basemaps
from layers.models import Map
from observatoire.demo import load_demo
from tests.clients import CHROMIUM, chromium, real_client, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path(settings.VAR_DIR) / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"
#: Features drawn by the preview's layers, per layer: {"couche-apercu-0": n, …}.
PREVIEW_DRAWN = """() => {
  const map = window.spassApercu;
  if (!map || !map.loaded()) return null;
  const drawn = {};
  map.queryRenderedFeatures().filter(f => f.layer.id.startsWith('couche-'))
    .forEach(f => { const id = f.layer.id.split('-').slice(0, 3).join('-');
                    drawn[id] = (drawn[id] || 0) + 1; });
  return drawn;
}"""
VIEWER_DRAWN = """() => {
  const map = window.spassCarte;
  if (!map || !map.loaded()) return -1;
  return map.queryRenderedFeatures().filter(f => f.layer.id.startsWith('couche-')).length;
}"""


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM and Playwright share a thread
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo(territories):
    load_demo()
    load_basemaps()


def _preview_settled(page, expect: tuple[str, ...] = ()) -> dict:
    """Wait for the preview's last answer to be drawn (the ``expect``ed layers with features);
    the list alternative's state."""
    page.wait_for_function(
        "document.getElementById('apercu-etat').textContent.startsWith('Aperçu à jour')",
        timeout=30000,
    )
    page.wait_for_timeout(1500)  # tiles of the new sources
    page.wait_for_function(
        f"(d => d !== null && {json.dumps(list(expect))}.every(id => d[id] > 0))"
        f"(({PREVIEW_DRAWN})())",
        timeout=30000,
    )
    return {
        "count": page.locator("#apercu-compte").inner_text(),
        "rows": page.locator("#apercu-liste li").all_inner_texts(),
        "drawn": page.evaluate(PREVIEW_DRAWN),
        "state": page.locator("#apercu-etat").inner_text(),
    }


def test_contrib_makes_shares_and_anim_validates_a_map(live_server, browser, demo):
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in(page, base, "contrib", settings.SPASS["DEMO_PASSWORD"])
    page.goto(f"{base}/cartes/")
    page.get_by_role("link", name="Créer une carte").click()
    page.wait_for_url(f"{base}/cartes/nouvelle/")
    _preview_settled(page)

    page.get_by_role("textbox", name="Titre", exact=True).fill("Lille : patrimoine et activité")
    page.get_by_role("combobox", name="Groupe", exact=True).select_option(
        label="Observatoire participatif du Nord"
    )
    layer = page.locator("#couches-0")
    layer.get_by_label("Observatoire · Marqueur").check()
    assert not layer.get_by_label("Activité · Formation").is_visible()  # kinds of the base only
    if layer.locator("details.filtre").get_attribute("open") is None:
        layer.locator("details.filtre summary").click()
    layer.get_by_label("Commune, EPCI ou département").fill("59350")
    layer.get_by_label("Représentation").select_option("markers")
    by_panel = _preview_settled(page, expect=("couche-apercu-0",))
    cql = layer.get_by_label("Filtre CQL2 de la couche")
    assert cql.input_value() == "communes IN ('59350')"  # composed live

    # the same filter typed as CQL2: the panel is read back, the features are the same
    layer.get_by_label("Commune, EPCI ou département").fill("")
    _preview_settled(page)
    cql.fill("communes IN ('59350')")
    by_text = _preview_settled(page, expect=("couche-apercu-0",))
    # read back with its name, as the panel shows a chosen suggestion
    assert layer.get_by_label("Commune, EPCI ou département").input_value() == "Lille (59350)"
    assert (by_text["count"], by_text["rows"]) == (by_panel["count"], by_panel["rows"])
    assert by_text["drawn"] == by_panel["drawn"] and by_panel["drawn"]["couche-apercu-0"] > 0
    assert all("Marqueur" in row for row in by_panel["rows"])

    # a bad text: the French error with its position, on the field, the preview keeps going
    cql.fill("communes IN ")
    page.wait_for_function(
        "!document.getElementById('id_couches-0-cql_error').hidden", timeout=30000
    )
    error = page.locator("#id_couches-0-cql_error").inner_text()
    assert "Filtre cql2-text invalide" in error and "colonne" in error
    assert cql.get_attribute("aria-invalid") == "true"
    assert "id_couches-0-cql_error" in cql.get_attribute("aria-describedby")
    page.screenshot(path=str(SHOTS / "editeur-erreur-cql.png"), full_page=True)
    cql.fill("communes IN ('59350')")
    _preview_settled(page)

    page.get_by_role("button", name="Ajouter une couche").click()
    second = page.locator("#couches-1")
    second.get_by_label("Base").select_option("activite")
    second.get_by_label("Représentation").select_option("heatmap")
    second.locator("details.filtre summary").click()
    second.get_by_label("Groupes").select_option(label="Observatoire participatif du Nord")
    both = _preview_settled(page, expect=("couche-apercu-0", "couche-apercu-1"))
    assert set(both["drawn"]) == {"couche-apercu-0", "couche-apercu-1"}
    page.get_by_role("button", name="Ajuster aux données").click()
    page.wait_for_function("document.getElementById('id_center_lon').value !== ''")
    page.screenshot(path=str(SHOTS / "editeur-bureau.png"), full_page=True)

    page.get_by_role("button", name="Enregistrer la carte").click()
    page.wait_for_url(f"{base}/cartes/lille-patrimoine-et-activite/modifier/")
    assert "Carte créée" in page.locator(".messages").inner_text()
    carte = Map.objects.get(slug="lille-patrimoine-et-activite")
    first, heat = carte.ordered_layers()
    assert first.cql == "kind IN ('marqueur') AND communes IN ('59350')"
    assert (first.style, heat.style, heat.base) == ("markers", "heatmap", "activite")
    assert heat.cql == "group IN ('demo-nord')"
    assert 1 < carte.center.x < 5 and 49 < carte.center.y < 52  # fitted to the Nord's data

    page.get_by_label("Niveau de partage").select_option("public")
    page.get_by_role("button", name="Partager").click()
    assert "en attente de validation" in page.locator("p.meta").inner_text()
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/cartes/lille-patrimoine-et-activite/modifier/")
    _preview_settled(page, expect=("couche-apercu-1",))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=str(SHOTS / "editeur-telephone.png"), full_page=True)

    anonymous = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    assert anonymous.goto(f"{base}/cartes/lille-patrimoine-et-activite/").status == 404

    anim = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in(anim, base, "anim", settings.SPASS["DEMO_PASSWORD"])
    anim.goto(f"{base}/cartes/lille-patrimoine-et-activite/")
    anim.get_by_role("link", name="Modifier la carte").click()
    anim.get_by_role("button", name="Valider la carte").click()
    assert "Carte validée" in anim.locator(".messages").inner_text()

    anonymous.goto(f"{base}/cartes/lille-patrimoine-et-activite/")
    anonymous.wait_for_function(f"({VIEWER_DRAWN})() > 0", timeout=30000)
    assert anonymous.get_by_role("link", name="Modifier la carte").count() == 0
    rows = anonymous.locator("#liste tbody tr th").all_inner_texts()
    assert rows and len(rows) >= len(by_panel["rows"])
    anonymous.screenshot(path=str(SHOTS / "editeur-carte-anonyme.png"), full_page=True)
    anonymous.goto(f"{base}/cartes/lille-patrimoine-et-activite/embed/")
    anonymous.wait_for_function(f"({VIEWER_DRAWN})() > 0", timeout=30000)
    with urllib.request.urlopen(f"{base}/cartes/lille-patrimoine-et-activite.umap") as r:
        document = json.loads(r.read())
    assert [layer["_umap_options"]["type"] for layer in document["layers"]] == [
        "Default",
        "Heat",
    ]
