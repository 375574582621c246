"""Founding a group in a real browser (Debian's Chromium driven by Playwright): a new
account fills /groupes/nouveau/ from the keyboard, lands on its group as animateur, invites
``lecteur`` and opens the settings page; at 390 px nothing scrolls sideways. Screenshots:
``var/screenshots/groupe-*.png``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.clients import CHROMIUM, chromium, real_client
from tests.factories import UserFactory
from workgroups.models import Group, Membership

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path(settings.VAR_DIR) / "screenshots"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM and Playwright share a thread
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("width", [1280, 390])
def test_new_account_founds_a_group_and_invites(live_server, browser, cast, width):
    UserFactory(username="nouvelle")
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/connexion/?next=/groupes/")
    page.fill("#id_username", "nouvelle")
    page.fill("#id_password", "mot-de-passe-test")
    page.click("form.narrow button[type=submit]")
    page.get_by_role("link", name="Créer un groupe").click()
    page.wait_for_url("**/groupes/nouveau/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_role("button", name="Créer le groupe").click()  # empty: errors on fields
    name = page.get_by_role("textbox", name="Nom du groupe")
    assert name.get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SHOTS / f"groupe-nouveau-erreurs-{width}.png"), full_page=True)

    name.focus()
    page.keyboard.type("Atelier des paysages")
    page.get_by_label("Projet").check()
    page.get_by_label("Sur invitation").check()
    page.get_by_label("Description").fill("Un atelier ouvert sur les paysages du Nord.")
    page.get_by_role("button", name="Créer le groupe").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/groupes/atelier-des-paysages/")
    assert "vous en êtes l'animateur" in page.locator(".messages").inner_text()
    page.get_by_label("Identifiant ou adresse e-mail").fill("lecteur")
    page.get_by_role("button", name="Inviter").click()
    assert "Invitation envoyée" in page.locator(".messages").inner_text()
    group = Group.objects.get(slug="atelier-des-paysages")
    assert Membership.objects.get(group=group, user=cast["lecteur"]).state == "invited"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=str(SHOTS / f"groupe-page-{width}.png"), full_page=True)

    page.get_by_role("link", name="Paramètres du groupe").click()
    page.wait_for_url("**/groupes/atelier-des-paysages/parametres/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=str(SHOTS / f"groupe-parametres-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_founder_draws_the_groups_territory(live_server, browser, cast, territories, width):
    """On /groupes/nouveau/ the founder draws a polygon on the map; the group is created with
    that territory, and its settings page shows it on the map."""
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/connexion/?next=/groupes/nouveau/")
    page.fill("#id_username", cast["account"].username)
    page.fill("#id_password", "mot-de-passe-test")
    page.click("form.narrow button[type=submit]")
    page.wait_for_url("**/groupes/nouveau/")
    page.get_by_role("textbox", name="Nom du groupe").fill("Territoire dessiné")
    page.get_by_label("Projet").check()
    page.get_by_label("Sur demande").check()
    canvas = page.locator("#carte-territoire canvas")
    canvas.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelector('#carte-territoire .mapbox-gl-draw_polygon') !== null"
    )
    page.wait_for_timeout(500)  # the map's style loaded
    page.get_by_role("button", name="Dessiner un polygone").click()
    box = canvas.bounding_box()
    corners = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]
    for fx, fy in corners:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)
    page.keyboard.press("Enter")
    shape = page.locator("#id_territory_shape").input_value()
    assert '"Polygon"' in shape
    page.screenshot(path=str(SHOTS / f"groupe-territoire-dessin-{width}.png"), full_page=True)
    page.get_by_role("button", name="Créer le groupe").click()
    page.wait_for_url("**/groupes/territoire-dessine/")
    group = Group.objects.get(slug="territoire-dessine")
    assert group.territory is not None and group.territory.geom_type == "MultiPolygon"
    assert len(group.territory[0].exterior_ring) == 5

    page.goto(f"{live_server.url}/groupes/territoire-dessine/parametres/")
    page.wait_for_function(
        "document.querySelector('#carte-territoire canvas') !== null"
        " && !document.querySelector('#carte-territoire').hidden"
    )
    page.wait_for_timeout(800)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=str(SHOTS / f"groupe-territoire-parametres-{width}.png"), full_page=True)
    assert errors == []
