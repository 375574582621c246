"""Carnets in a real browser (Debian's Chromium driven by Playwright, WebGL by SwiftShader):
reading in « mode récit », the story steps move the live map (scrolled to, and focused with the
keyboard; with reduced motion the map jumps); the editor adds a text block, reorders blocks
with the keyboard and saves. Screenshots: ``var/screenshots/carnet-*.png``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from observatoire.kinds import Kind
from publications.blocks import clean_blocks
from publications.models import Carnet
from tests.clients import CHROMIUM, real_client, sign_in
from tests.factories import MembershipFactory, ResourceFactory, UserFactory
from tests.layers import test_editor_browser
from workgroups.models import Group
from workgroups.roles import Level, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path(settings.VAR_DIR) / "screenshots"
#: Chromium (ORM and Playwright in one thread), as the map editor's browser tests have it.
browser = test_editor_browser.browser
STEPS = [[3.0, 50.6, 3.1, 50.66], [3.05, 50.35, 3.1, 50.38], [3.2, 50.16, 3.26, 50.19]]
CENTER = """(id) => {
  const entry = window.spassCarnet && window.spassCarnet.maps[id];
  if (!entry || !entry.loaded) return null;
  const c = entry.map.getCenter();
  return [c.lng, c.lat, entry.current];
}"""


@pytest.fixture
def nord(db):
    group = Group.objects.create(name="Nord", slug="nord")
    anim = MembershipFactory(
        group=group, role=Role.ANIMATEUR, user=UserFactory(username="anim")
    ).user
    contrib = MembershipFactory(
        group=group, role=Role.CONTRIBUTEUR, user=UserFactory(username="contrib")
    ).user
    for i, (w, s, e, n) in enumerate(STEPS):
        from django.contrib.gis.geos import Point

        ResourceFactory(
            group=group,
            author=anim,
            kind=Kind.MARQUEUR,
            level=Level.PUBLIC,
            validated_at=timezone.now(),
            title=f"Beffroi {i}",
            geom=Point((w + e) / 2, (s + n) / 2, srid=4326),
        )
    text = "Un paragraphe pour faire défiler la page. " * 30
    blocks = [
        {"type": "text", "markdown": "## Introduction\n\n" + text},
        {
            "type": "map",
            "layer": {"base": "observatoire", "kinds": ["marqueur"]},
            "extent": [2.0, 50.0, 4.2, 51.1],
            "caption": "Les beffrois",
            "steps": [
                {"markdown": f"## Étape {i + 1}\n\n{text}", "extent": extent}
                for i, extent in enumerate(STEPS)
            ],
        },
        {"type": "text", "markdown": "## Fin\n\n" + text},
    ]
    Carnet.objects.create(
        title="Récit des beffrois",
        slug="recit",
        group=group,
        author=anim,
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        story=True,
        blocks=clean_blocks(blocks),
    )
    return {"group": group, "anim": anim, "contrib": contrib}


def _inside(center, extent) -> bool:
    return extent[0] <= center[0] <= extent[2] and extent[1] <= center[1] <= extent[3]


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_story_steps_move_the_map(live_server, browser, nord, motion):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion=motion)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/publications/recit/")
    page.wait_for_function(f"({CENTER})('carte-1') !== null", timeout=30_000)
    start = page.evaluate(CENTER, "carte-1")
    assert _inside(start, [2.0, 50.0, 4.2, 51.1]) and start[2] is None
    for index, extent in enumerate(STEPS):
        step = page.locator(f'.etape[data-etape="{index}"]')
        step.scroll_into_view_if_needed()
        step.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_function(
            f"(() => {{ const c = ({CENTER})('carte-1'); return c && c[2] === {index}; }})()"
        )
        # flying takes a moment; jumping (reduced motion) is at once
        page.wait_for_function(
            f"""(() => {{ const c = ({CENTER})('carte-1'); const e = {extent};
                 return c && c[0] >= e[0] && c[0] <= e[2] && c[1] >= e[1] && c[1] <= e[3]; }})()""",
            timeout=10_000,
        )
        assert page.locator(f'.etape[data-etape="{index}"]').get_attribute("aria-current") == "step"
    # the map stays on screen while the steps scroll (sticky)
    box = page.locator("#carte-1").bounding_box()
    assert box is not None and 0 <= box["y"] < 800
    # the keyboard: focusing a step (Tab) moves the map too
    page.locator('.etape[data-etape="0"]').focus()
    page.wait_for_function(
        f"(() => {{ const c = ({CENTER})('carte-1'); return c && c[2] === 0; }})()"
    )
    page.screenshot(path=str(SHOTS / f"carnet-recit-{motion}.png"))
    assert not errors, errors
    context.close()


def test_the_editor_adds_reorders_by_keyboard_and_saves(live_server, browser, nord):
    # French, the words the test reads (the English catalogue translates them otherwise)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server.url, "contrib", "mot-de-passe-test")
    page.goto(f"{live_server.url}/publications/nouvelle/")
    page.fill("#titre", "Carnet au clavier")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/publications/carnet-au-clavier/modifier/")
    page.click("[data-ajouter=quote]")
    page.keyboard.type("Une citation d'abord.")
    page.click("[data-ajouter=text]")
    page.keyboard.type("## Un texte\n\nÉcrit au clavier.")
    # the text is second: move it up with the keyboard
    up = page.locator('.bloc-editeur[data-index="1"] button.monter')
    up.focus()
    page.keyboard.press("Enter")
    assert page.locator(".bloc-editeur").first.get_attribute("data-type") == "text"
    assert "position 1" in page.locator("#annonce").text_content()
    focused = page.evaluate("document.activeElement.closest('.bloc-editeur').dataset.index")
    assert focused == "0"  # the focus followed the block
    page.click("#enregistrer")
    # an autosave of an earlier state may still be under way: the click's save is queued after
    # it, so the test waits for what the database holds, not for the first « enregistré »
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        carnet = Carnet.objects.get(slug="carnet-au-clavier")
        if [b["type"] for b in carnet.blocks] == ["text", "quote"] and (
            "Écrit au clavier." in carnet.blocks[0].get("markdown", "")
        ):
            break
        page.wait_for_timeout(250)
    assert [b["type"] for b in carnet.blocks] == ["text", "quote"]
    assert "Écrit au clavier." in carnet.blocks[0]["markdown"]
    page.wait_for_function("document.getElementById('etat').textContent.includes('enregistré')")
    page.screenshot(path=str(SHOTS / "carnet-editeur.png"), full_page=True)
    context.close()


def test_the_before_after_divide_follows_the_handle(live_server, browser, nord):
    """The range input is the divide: « avant » on its left, « après » on its right, so moving
    the handle left shows more of « après » (the keyboard moves it too)."""
    from publications.media import add_media

    from .conftest import png_upload

    carnet = Carnet.objects.get(slug="recit")
    before, after = (
        add_media(nord["anim"], carnet, png_upload(f"{name}.png", colour=colour))
        for name, colour in (("avant", "#777777"), ("apres", "#4a9f5a"))
    )
    carnet.blocks = clean_blocks(
        [
            {
                "type": "compare",
                "before": {"media": before.pk, "alt": "La place avant travaux"},
                "after": {"media": after.pk, "alt": "La place après travaux"},
            }
        ]
    )
    carnet.save()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/publications/recit/")
    divide = page.get_by_label("Séparation entre « avant » (à gauche) et « après » (à droite)")
    clip = "() => getComputedStyle(document.querySelector('.avant-apres .apres')).clipPath"
    assert divide.input_value() == "50" and "50%" in page.evaluate(clip)
    divide.fill("30")
    assert "30%" in page.evaluate(clip)
    divide.focus()
    page.keyboard.press("Home")
    assert divide.input_value() == "0" and page.evaluate(clip) in ("inset(0px 0px 0px 0%)", "none")
    page.keyboard.press("End")
    assert "100%" in page.evaluate(clip)
    page.screenshot(path=str(SHOTS / "carnet-avant-apres.png"))
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_editor_frames_extents_on_a_map(live_server, browser, nord, width):
    """A map block's editor shows its extents on a map (the block's, its steps'); zooming
    in and « Prendre la vue de la carte » sets the block's extent, which is saved."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url, "anim", "mot-de-passe-test")
    page.goto(f"{live_server.url}/publications/recit/modifier/")
    block = page.locator('.bloc-editeur[data-type="map"]')
    block.locator(".carte-emprise canvas").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the style and the extents' source
    drawn = block.locator(".carte-emprise")
    drawn.screenshot(path=str(SHOTS / f"carnet-editeur-emprises-{width}.png"))
    take = block.get_by_role("button", name="Prendre la vue de la carte").first
    extent_field = block.get_by_label("Emprise (ouest, sud, est, nord)").first

    def taken() -> list[float]:
        take.click()
        return [float(v) for v in extent_field.input_value().split(",")]

    framed = taken()  # the map opened on the block's extent [2, 50, 4.2, 51.1]
    assert framed[0] <= 2.0 and framed[2] >= 4.2 and framed[1] <= 50.0 and framed[3] >= 51.1
    block.locator(".carte-emprise .maplibregl-ctrl-zoom-in").click()
    page.wait_for_timeout(600)
    west, south, east, north = taken()
    assert east - west == pytest.approx((framed[2] - framed[0]) / 2, rel=0.1)  # one zoom in
    assert west < 3.1 < east and south < 50.55 < north  # around the block's centre
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        saved = Carnet.objects.get(slug="recit").blocks[1]["extent"]
        if saved != [2.0, 50.0, 4.2, 51.1]:
            break
        page.wait_for_timeout(250)
    assert saved == pytest.approx([west, south, east, north], abs=1e-4)
    assert errors == []
    context.close()
