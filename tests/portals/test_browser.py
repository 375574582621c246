"""The portal in a real browser (Debian's Chromium driven by Playwright): ``anim`` edits the
demo-nord portal (introduction, colour, sections, banner) and the portal shows it, to them
and to an anonymous visitor, at desktop and phone widths; the three family layouts are
photographed to /tmp/spass-portal-*.png."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from observatoire.demo import load_demo
from observatoire.kinds import Base
from observatoire.models import Resource
from portals.demo import load_demo_portals
from tests.clients import CHROMIUM, chromium, real_client, sign_in
from workgroups.models import Group

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path("/tmp")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAP_READY = "document.querySelector('#carte[data-chargee]') !== null"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"
#: The elements wider than the window (to name them when the page scrolls sideways).
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def browser(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM and Playwright share a thread
    settings.MEDIA_ROOT = tmp_path
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo(territories):
    load_demo()
    load_demo_portals()


def _banner_png(path: Path) -> Path:
    image = Image.new("RGB", (2000, 500), "#f0e6d2")
    for x in range(0, 2000, 40):
        image.paste("#b3261e", (x, 300, x + 20, 500))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_anim_edits_the_demo_portal_and_it_shows(live_server, browser, demo, tmp_path):
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    sign_in(page, base, "anim", settings.SPASS["DEMO_PASSWORD"])
    page.goto(f"{base}/portails/")
    page.get_by_role("link", name="Observatoire participatif du Nord").click()
    page.wait_for_url(f"{base}/portails/demo-nord/")
    page.get_by_role("link", name="Modifier le portail").click()

    page.fill("#id_introduction", "## Nouvelles du Nord\n\nUn texte **modifié** par anim.")
    page.get_by_label("Rouge brique").check()
    page.get_by_label("Activité", exact=True).uncheck()
    page.set_input_files("#id_banner", str(_banner_png(tmp_path / "bandeau.png")))
    page.fill("#id_banner_alt", "Des rayures rouges sur fond crème")
    page.get_by_role("button", name="Enregistrer le portail").click()
    page.wait_for_url(f"{base}/portails/demo-nord/")

    assert page.get_by_role("heading", name="Nouvelles du Nord").is_visible()
    banner = page.get_by_alt_text("Des rayures rouges sur fond crème")
    banner.wait_for()
    page.wait_for_function("document.querySelector('.portail-banniere').naturalWidth > 0")
    assert banner.evaluate("img => img.naturalWidth") == 1600
    header = page.locator(".portail-entete").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(179, 38, 30)"
    nav = page.locator(".portail-nav").inner_text()
    assert "Médiathèque" in nav and "Activité" not in nav  # as chosen in the form
    assert "Agenda" in nav and "bientôt" not in nav  # provided by actualites
    page.wait_for_function(MAP_READY, timeout=30000)
    page.screenshot(path=str(SHOTS / "spass-portal-projet.png"), full_page=True)

    # an anonymous visitor sees the same presentation, and only public validated resources
    anonymous = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    anonymous.goto(f"{base}/portails/demo-nord/observatoire/")
    anonymous.wait_for_function(MAP_READY, timeout=30000)
    group = Group.objects.get(slug="demo-nord")
    public = Resource.objects.visible_to(None).filter(
        group=group, base=Base.OBSERVATOIRE, geom__isnull=False
    )
    rows = anonymous.locator("#liste tbody tr").count()
    assert rows == min(public.count(), 50)
    assert "Modifier le portail" not in anonymous.content()
    anonymous.goto(f"{base}/portails/demo-nord/")
    assert anonymous.get_by_role("heading", name="Nouvelles du Nord").is_visible()
    anonymous.screenshot(path=str(SHOTS / "spass-portal-projet-phone.png"), full_page=True)
    assert anonymous.evaluate(NO_SIDEWAYS_SCROLL), anonymous.evaluate(WIDE)

    for slug, family in [("patrimoine-paysages", "theme"), ("flandres-transfrontalier", "acteur")]:
        page.goto(f"{base}/portails/{slug}/")
        assert page.locator(f".portail.famille-{family}").count() == 1
        page.screenshot(path=str(SHOTS / f"spass-portal-{family}.png"), full_page=True)
        anonymous.goto(f"{base}/portails/{slug}/")
        anonymous.screenshot(path=str(SHOTS / f"spass-portal-{family}-phone.png"), full_page=True)
        assert anonymous.evaluate(NO_SIDEWAYS_SCROLL), anonymous.evaluate(WIDE)
    page.goto(f"{base}/portails/patrimoine-paysages/")
    assert page.locator(".facettes a").count() >= 2  # the documentary collections by type
    page.goto(f"{base}/portails/flandres-transfrontalier/")
    assert page.get_by_role("heading", name="Membres").is_visible()
    assert os.path.getsize(SHOTS / "spass-portal-acteur.png") > 10_000
