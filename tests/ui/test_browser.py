"""End to end in headless Chromium (Debian's, never a downloaded one): « + Ajouter » with a
point placed on the MapLibre map, a search with accents, and an animateur validating a
resource that then appears anonymously. Screenshots go to var/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from observatoire.models import Resource
from tests.clients import CHROMIUM, chromium, real_client, sign_in
from tests.factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory
from workgroups.roles import Level, Role

PASSWORD = "mot-de-passe-test"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Debian chromium absent"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        yield browser


@pytest.fixture
def shots() -> Path:
    folder = Path(settings.SPASS["VAR_DIR"]) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def team():
    group = GroupFactory(name="Patrimoine du Nord", slug="patrimoine-nord")
    contributor = MembershipFactory(
        group=group, role=Role.CONTRIBUTEUR, user=UserFactory(username="claire")
    ).user
    animateur = MembershipFactory(
        group=group, role=Role.ANIMATEUR, user=UserFactory(username="alain")
    ).user
    return group, contributor, animateur


def test_add_a_resource_with_a_point_placed_on_the_map(live_server, browser, shots, team):
    group, contributor, _ = team
    base = live_server.url
    page = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="fr-FR")
    sign_in(page, base, "claire", PASSWORD)
    page.click("text=+ Ajouter")
    page.select_option("#id_groupe", str(group.pk))
    page.check("#type-marqueur")
    page.click("button:has-text('Continuer')")
    page.fill("#id_title", "Chapelle Saint-Roch")
    page.fill("#id_attr_epoque", "XVIe siècle")
    page.wait_for_selector("#carte-saisie canvas")
    page.wait_for_function("document.querySelector('.mapbox-gl-draw_point') !== null")
    page.click(".mapbox-gl-draw_point")
    box = page.locator("#carte-saisie canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('id_longitude').value !== ''")
    page.check("#level-public")
    page.screenshot(path=str(shots / "ajouter-formulaire.png"), full_page=True)
    page.click("form.resource-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Chapelle Saint-Roch')")
    page.screenshot(path=str(shots / "ajouter-resultat.png"), full_page=True)
    resource = Resource.objects.get(title="Chapelle Saint-Roch")
    assert resource.geom.geom_type == "Point"
    assert 40 < resource.geom.y < 52 and -5 < resource.geom.x < 10  # France, map centre
    assert (resource.author, resource.level, resource.validated_at) == (
        contributor,
        Level.PUBLIC,
        None,
    )


def test_search_with_accents(live_server, browser, shots, team):
    group, contributor, _ = team
    ResourceFactory(
        title="Eglises romanes de Flandre",
        summary="Les églises à clocher-porche.",
        group=group,
        author=contributor,
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    page = browser.new_page(locale="fr-FR")
    page.goto(f"{live_server.url}/recherche/")
    page.fill("#q", "église")
    page.press("#q", "Enter")
    page.wait_for_selector(".result-list mark")
    assert page.locator(".result-list h3").first.inner_text() == "Eglises romanes de Flandre"
    page.screenshot(path=str(shots / "recherche-accents.png"), full_page=True)


def test_animateur_validates_then_anonymous_sees_it(live_server, browser, shots, team):
    group, contributor, _ = team
    resource = ResourceFactory(
        title="Moulin Lebrun", group=group, author=contributor, level=Level.PUBLIC
    )
    url = f"{live_server.url}/ressources/{resource.pk}/"
    anonymous = browser.new_page(locale="fr-FR")
    assert anonymous.goto(url).status == 404
    animateur = browser.new_context(locale="fr-FR").new_page()
    sign_in(animateur, live_server.url, "alain", PASSWORD)
    animateur.click("button[aria-label='Valider « Moulin Lebrun »']")
    animateur.wait_for_selector("text=Ressource validée")
    animateur.screenshot(path=str(shots / "validation-mon-espace.png"), full_page=True)
    assert anonymous.goto(url).status == 200
    anonymous.wait_for_selector("#mini-carte canvas")
    anonymous.wait_for_timeout(500)
    anonymous.screenshot(path=str(shots / "validation-page-anonyme.png"), full_page=True)
    assert "Moulin Lebrun" in anonymous.inner_text("h1")


def test_chromium_is_debians(browser):
    """The suite drives the system browser, never one downloaded by Playwright."""
    assert shutil.which("chromium") == CHROMIUM
