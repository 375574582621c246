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
