"""In Debian's Chromium: a new account (in no group) creates its profile with two
experiences — one placed by a commune's name, one by a click on the map — and a territory of
intervention picked among the suggestions, then finds itself in the directory by commune, in
the list and on the map. Screenshots go to /tmp/spass-acteurs-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from actors.models import Profile
from tests.clients import CHROMIUM, real_client, sign_in
from tests.factories import UserFactory
from tests.ui import test_browser as ui

browser = ui.browser

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Debian chromium absent"),
]

PASSWORD = "mot-de-passe-test"


def test_new_account_creates_its_profile_and_finds_itself(live_server, browser, territories):
    UserFactory(username="nouvelle")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, base, "nouvelle", PASSWORD)
    page.goto(f"{base}/acteurs/nouveau/")
    page.fill("#id_name", "Atelier des Deux Rives")
    page.select_option("#id_kind", "professionnel")
    page.check("input[name=contexts][value=paysage]")
    page.fill("#territoire-ajout", "Roubai")
    page.wait_for_function(
        "[...document.querySelectorAll('#territoires-suggestions option')]"
        ".some(o => o.value === 'Roubaix (59512)')"
    )
    page.fill("#territoire-ajout", "Roubaix (59512)")
    page.dispatch_event("#territoire-ajout", "change")
    assert page.input_value("#id_territories") == "Roubaix (59512)"
    page.fill("#id_exp-0-title", "Jardin partagé de l'Épeule")
    page.fill("#id_exp-0-client", "Ville de Roubaix")
    page.fill("#id_exp-0-year_start", "2023")
    page.fill("#id_exp-0-commune", "Roubaix")
    page.click("#add-experience")
    page.fill("#id_exp-1-title", "Sentier des berges")
    page.fill("#id_exp-1-year_start", "2024")
    second_map = page.locator(".experience-form").nth(1).locator(".experience-map canvas")
    second_map.wait_for()
    page.wait_for_timeout(500)
    second_map.click(position={"x": 200, "y": 100})
    assert page.input_value("#id_exp-1-latitude") != ""
    page.screenshot(path="/tmp/spass-acteurs-formulaire.png", full_page=True)
    page.click("button:has-text('Enregistrer le profil')")
    page.wait_for_url(f"{base}/acteurs/atelier-des-deux-rives/")
    assert page.locator(".actor-experience").count() == 2
    profile = Profile.objects.get(slug="atelier-des-deux-rives")
    assert profile.territory_codes == ["commune:59512"]
    assert profile.experiences.filter(place__isnull=False).count() == 2

    page.goto(f"{base}/acteurs/")
    page.fill("#f-commune", "59512")
    page.click(".actor-filters button[type=submit]")
    page.wait_for_url("**commune=59512**")
    assert page.locator(".actor-card a", has_text="Atelier des Deux Rives").count() == 1
    page.wait_for_selector("#carte-acteurs[data-loaded]")
    assert page.get_attribute("#carte-acteurs", "data-loaded") == "2"
    page.screenshot(path="/tmp/spass-acteurs-annuaire.png", full_page=True)
    context.close()
