"""In Chromium (Debian's, driven by Playwright): an anonymous visitor on a phone submits a
contribution with a photo and a point placed by « Me localiser »; the animateur accepts it;
it shows on the form's map for anyone; the form works framed by a page of another origin.
Screenshots go to /tmp/spass-participation-*.png."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from participation.models import Submission
from tests.clients import CHROMIUM, chromium, real_client, sign_in

from .conftest import LILLE, jpeg

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def browser(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM and Playwright share a thread
    settings.MEDIA_ROOT = tmp_path / "media"
    with chromium() as browser:
        yield browser


def test_a_phone_submits_with_photo_and_point_and_the_animateur_accepts(
    browser, live_server, form, cast, tmp_path
):
    photo = tmp_path / "arbre.jpg"
    photo.write_bytes(jpeg(camera="Téléphone"))
    phone = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
        geolocation={"longitude": LILLE[0], "latitude": LILLE[1]},
        permissions=["geolocation"],
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/participer/{form.slug}/")
    page.wait_for_selector("#carte-lieu:not([hidden])")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.fill("#champ-pseudonyme", "Camille")
    page.fill("#champ-titre", "Le tilleul du mail")
    page.click("#me-localiser")
    page.wait_for_function("document.querySelector('#champ-latitude').value !== ''")
    assert float(page.input_value("#champ-longitude")) == pytest.approx(LILLE[0], abs=1e-4)
    page.set_input_files("#champ-photos", str(photo))
    page.check("#champ-consentement")
    page.screenshot(path="/tmp/spass-participation-phone-form.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("text=En attente de modération")
    page.screenshot(path="/tmp/spass-participation-phone-status.png", full_page=True)
    submission = Submission.objects.get()
    assert submission.photos.count() == 1 and submission.state == "pending"
    phone.close()

    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = desk.new_page()
    sign_in(page, live_server.url, "animateur", "mot-de-passe-test")
    page.goto(f"{live_server.url}/groupes/{cast.group.slug}/contributions/")
    page.click("text=Le tilleul du mail")
    page.select_option("#m-niveau", "public")
    page.screenshot(path="/tmp/spass-participation-moderation.png", full_page=True)
    page.click("button[name=action][value=accept]")
    page.wait_for_selector("text=Contribution publiée.")
    desk.close()

    anonymous = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = anonymous.new_page()
    page.goto(f"{live_server.url}/participer/{form.slug}/carte/")
    assert page.locator("text=Le tilleul du mail").count() == 1
    page.wait_for_selector("#mini-carte canvas")
    page.screenshot(path="/tmp/spass-participation-map.png", full_page=True)
    anonymous.close()


@pytest.fixture
def other_origin(tmp_path):
    """A page on another origin (its own port), as a commune's site would be."""

    def serve(html: str) -> str:
        (tmp_path / "site").mkdir(exist_ok=True)
        (tmp_path / "site" / "index.html").write_text(html, encoding="utf-8")
        handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/index.html"

    servers: list[ThreadingHTTPServer] = []
    yield serve
    for server in servers:
        server.shutdown()


def test_the_form_works_framed_by_a_page_of_another_origin(
    browser, live_server, form, other_origin, territories
):
    host = other_origin(
        '<!DOCTYPE html><html lang="fr"><body><h1>Site de la commune</h1>'
        f'<iframe src="{live_server.url}/participer/{form.slug}/integrer/" width="480" '
        'height="760" title="Formulaire"></iframe></body></html>'
    )
    assert host.split("/")[2] != live_server.url.split("/")[2]
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator("#champ-titre").wait_for()
    frame.locator("#champ-pseudonyme").fill("Voisin")
    frame.locator("#champ-titre").fill("Le banc du square")
    frame.locator("#champ-commune").fill("Lille")
    frame.locator("#champ-consentement").check()
    frame.locator("button[type=submit]").click()
    frame.locator("text=Merci, votre contribution est bien reçue.").wait_for()
    page.screenshot(path="/tmp/spass-participation-embed.png", full_page=True)
    assert Submission.objects.filter(title="Le banc du square").exists()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
def test_the_animateur_draws_the_accepted_area(browser, live_server, form, cast, viewport):
    """The form editor draws the accepted area already set (editable), and a polygon drawn in
    its place is saved as the form's area; the GeoJSON field follows the drawing."""
    page = browser.new_context(viewport=viewport, locale="fr-FR").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url, "animateur", "mot-de-passe-test")
    page.goto(f"{live_server.url}/groupes/{cast.group.slug}/formulaires/{form.slug}/modifier/")
    canvas = page.locator("#carte-zone canvas")
    canvas.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#carte-zone .mapbox-gl-draw_trash')")
    page.wait_for_timeout(800)  # the style and the drawn area
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("button", name="Dessiner un polygone").click()
    box = canvas.bounding_box()
    for fx, fy in [(0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)]:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)
    page.keyboard.press("Enter")
    page.locator("#carte-zone").screenshot(
        path=f"/tmp/spass-participation-zone-{viewport['width']}.png"
    )
    page.locator("details:has(#id_area_geojson) summary").click()
    drawn = page.locator("#id_area_geojson").input_value()
    assert '"Polygon"' in drawn
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/groupes/{cast.group.slug}/formulaires/")
    before = form.area
    form.refresh_from_db()
    assert form.area.num_geom == 1 and form.area.area < before.area  # the new, smaller square
    assert errors == []
