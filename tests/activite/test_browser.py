"""The activity report and the links of an activité in a real browser (Debian's Chromium by
Playwright) on the demo data. Screenshots (1280 and 390 px): ``var/screenshots/rapport-*.png``
and ``liens-*.png``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from activite.demo import load as load_missions
from observatoire.demo import load_demo
from observatoire.models import Resource
from tests.clients import CHROMIUM, chromium, real_client, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path(settings.VAR_DIR) / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo(territories):
    load_demo()
    load_missions()


def test_report_page_draws_charts_and_map(live_server, browser, demo):
    base = live_server.url
    for name, viewport in (("bureau", DESKTOP), ("telephone", PHONE)):
        page = browser.new_context(viewport=viewport, locale="fr-FR").new_page()
        sign_in(page, base, "lecteur", settings.SPASS["DEMO_PASSWORD"])
        page.goto(f"{base}/groupes/demo-nord/activite/rapport/")
        page.wait_for_function(
            "window.Chart && Chart.getChart('graphique-barres') && "
            "Chart.getChart('graphique-ligne')",
            timeout=30000,
        )
        bars = page.evaluate(
            "Chart.getChart('graphique-barres').data.datasets"
            ".reduce((s, d) => s + d.data.reduce((a, b) => a + b, 0), 0)"
        )
        total = page.locator("#table-types-annees tfoot td").last.inner_text()
        assert bars == int(total) > 0  # the chart draws what the table counts
        page.wait_for_function(
            "Number(document.getElementById('carte-rapport').dataset.drawn) > 3", timeout=30000
        )
        assert page.locator("#table-communes tbody tr").count() > 3
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.screenshot(path=str(SHOTS / f"rapport-{name}.png"), full_page=True)
        page.context.close()


def test_activite_linked_to_two_marqueurs_in_the_form(live_server, browser, demo):
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in(page, base, "contrib", settings.SPASS["DEMO_PASSWORD"])
    group = Resource.objects.filter(group__slug="demo-nord").first().group
    page.goto(f"{base}/ressources/ajouter/?groupe={group.pk}&type=sensibilisation")
    page.locator("#id_title").fill("Balade des beffrois")
    page.get_by_label("Longitude").fill("3.0573")
    page.get_by_label("Latitude").fill("50.6292")
    search = page.get_by_label("Chercher une ressource à lier")
    chosen = []
    for word in ("Beffroi", "Moulin"):
        search.fill(word)
        button = page.locator("#liens-suggestions button").first
        button.wait_for(timeout=30000)
        chosen.append(button.inner_text())
        button.click()
    assert page.locator("#liens-choisis input[name=links]:checked").count() == 2
    page.screenshot(path=str(SHOTS / "liens-formulaire.png"), full_page=True)
    # the suggestions may still move the page: the button is pressed from the keyboard
    page.locator("#liens-recherche").fill("")
    page.get_by_role("button", name="Enregistrer", exact=True).focus()
    page.keyboard.press("Enter")
    try:
        page.wait_for_url(f"{base}/ressources/*/", timeout=60000)
    except PlaywrightTimeoutError:
        page.screenshot(path=str(SHOTS / "liens-echec.png"), full_page=True)
        errors = page.locator(".errors, .erreur, [role=alert]").all_inner_texts()
        invalid = page.evaluate(
            "[...document.querySelectorAll('form :invalid')]"
            ".map(e => e.name + ':' + e.validationMessage)"
        )
        errors.extend(invalid)
        raise AssertionError(f"non enregistrée ({page.url}) : {errors}") from None
    activite = Resource.objects.get(title="Balade des beffrois")
    linked = list(activite.links.all())
    assert len(linked) == 2
    detail = page.locator("main").inner_text()
    assert all(r.title in detail for r in linked)
    page.goto(f"{base}/ressources/{linked[0].pk}/")
    assert "Balade des beffrois" in page.locator("main").inner_text()  # the other way
    page.screenshot(path=str(SHOTS / "liens-marqueur.png"), full_page=True)
