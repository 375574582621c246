"""The three-step import page in headless Chromium (Debian's): upload, map the columns,
preview (map and list), run, follow the progress to the report — at desktop size with a
Lambert-93 GeoPackage extract of the Toulouse Inventaire, at phone size with the Latin-1
Mérimée 2013 CSV. Screenshots: /tmp/spass-import-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pyogrio
import pytest

from importers.models import ImportJob, MappingProfile
from observatoire.models import Resource
from tests.clients import CHROMIUM, real_client, sign_in
from tests.ui.test_browser import PASSWORD, browser  # noqa: F401 (fixture)

from ..workers import run_worker
from .conftest import MERIMEE_FILES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]
SHOTS = Path("/tmp")
DRAWN = """() => {
  const map = window.spassImportCarte;
  if (!map || !map.loaded() || !map.getLayer('apercu-points')) return -1;
  return map.queryRenderedFeatures({layers: ['apercu-points']}).length;
}"""


@pytest.fixture
def extract(tmp_path) -> Path:
    """The whole Toulouse Inventaire file (3,174 notices), in Lambert-93, as a GeoPackage."""
    path = tmp_path / "toulouse.gpkg"
    frame = pyogrio.read_dataframe(MERIMEE_FILES["toulouse"])
    pyogrio.write_dataframe(frame.to_crs(epsg=2154), path, layer="inventaire", driver="GPKG")
    return path


def _upload(page, base: str, path: Path, group_name: str) -> None:
    page.goto(f"{base}/imports/nouveau/")
    page.locator("#id_group").select_option(label=group_name)
    page.locator("#id_source").select_option("geodata")
    page.locator("#id_kind").select_option("marqueur")
    assert page.locator("#id_id_column").is_hidden()  # chosen on the mapping step
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Envoyer le fichier").click()
    page.wait_for_selector("#import-colonnes tbody tr")
    assert page.evaluate("document.activeElement.id") == "etape-colonnes-titre"


def _preview_run_report(page, base: str, tmp_path: Path, shot: str) -> ImportJob:
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.wait_for_selector("#import-lignes tbody tr")
    page.wait_for_function(f"({DRAWN})() > 0", timeout=30000)
    page.screenshot(path=str(SHOTS / f"spass-import-{shot}-apercu.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # nothing wider than the screen
    page.locator("#import-lancer").click()
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    job = ImportJob.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    assert job.status == ImportJob.Status.PENDING
    run_worker("imports", tmp_path)
    page.wait_for_selector("text=Télécharger le rapport (CSV)", timeout=20000)
    assert page.get_attribute("#import-progression", "value") == "100"
    page.screenshot(path=str(SHOTS / f"spass-import-{shot}-rapport.png"), full_page=True)
    job.refresh_from_db()
    return job


def test_upload_map_preview_run_report_desktop_and_phone(
    live_server,
    browser,  # noqa: F811
    cast,
    territories,
    extract,
    tmp_path,
):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    sign_in(page, base, "animateur", PASSWORD)
    _upload(page, base, extract, cast.group.name)
    assert page.locator("#import-crs").input_value() == "2154"
    title = page.get_by_label("Ce que devient la colonne « chptico »")
    assert title.input_value() == "title"
    # a person's choice: the history becomes the summary, the remarks are left out
    page.get_by_label("Ce que devient la colonne « chphist »").select_option("summary")
    page.get_by_label("Ce que devient la colonne « chprema »").select_option("ignore")
    page.get_by_label("Enregistrer cette correspondance").fill("Inventaire Occitanie")
    page.screenshot(path=str(SHOTS / "spass-import-bureau-colonnes.png"), full_page=True)
    # keyboard: the preview button is reachable and works with Enter
    page.get_by_role("button", name="Voir l'aperçu").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#import-lignes tbody tr")
    assert page.locator("#import-lignes tbody tr").count() == 20
    assert page.locator("#import-aucun-rejet").is_visible()
    first_place = page.locator("#import-lignes tbody tr").first.locator("td").nth(3).inner_text()
    lon, lat = (float(v) for v in first_place.split(", "))
    assert 1.3 < lon < 1.6 and 43.5 < lat < 43.7
    job = _preview_run_report(page, base, tmp_path, "bureau")
    assert (job.status, job.created, job.rejected) == ("succeeded", 3174, 0), job.error
    stored = Resource.objects.filter(import_job=job).exclude(summary="")
    assert stored.count() > 0 and not Resource.objects.filter(attributes__has_key="chprema")
    assert MappingProfile.objects.get().name == "Inventaire Occitanie"

    # the same columns again: the profile is offered, preselected, with its choices
    _upload(page, base, extract, cast.group.name)
    assert (
        page.locator("#import-profil option:checked")
        .inner_text()
        .startswith("Inventaire Occitanie")
    )
    assert page.get_by_label("Ce que devient la colonne « chprema »").input_value() == "ignore"

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR")
    sign_in(phone, base, "animateur", PASSWORD)
    _upload(phone, base, MERIMEE_FILES["2013"], cast.group.name)
    assert phone.get_by_label("Ce que devient la colonne « TICO »").input_value() == "title"
    job = _preview_run_report(phone, base, tmp_path, "telephone")
    assert (job.status, job.created) == ("succeeded", 3), job.error
