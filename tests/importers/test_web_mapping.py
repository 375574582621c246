"""The web import in three steps through its API (upload → mapping and preview → run), with
real files and the real worker: the Toulouse Inventaire file as a Lambert-93 GeoPackage, the
Latin-1 Mérimée 2013 CSV; who may see a draft; mapping profiles; bad input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pyogrio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from importers.drafts import DRAFT_HOURS, purge_abandoned
from importers.models import ImportJob, MappingProfile
from importers.web import visible_jobs
from observatoire.models import Resource

from ..factories import UserFactory
from ..workers import run_worker
from .conftest import MERIMEE_FILES

TOULOUSE_ROWS = 3174


@pytest.fixture
def toulouse_gpkg(tmp_path_factory) -> Path:
    """The Toulouse Inventaire GeoJSON converted to a Lambert-93 GeoPackage, as a partner
    would bring it from QGIS."""
    path = tmp_path_factory.mktemp("toulouse") / "inventaire_toulouse.gpkg"
    frame = pyogrio.read_dataframe(MERIMEE_FILES["toulouse"]).to_crs(epsg=2154)
    pyogrio.write_dataframe(frame, path, layer="inventaire", driver="GPKG")
    return path


def points(rows: list[tuple], crs: str | None = "EPSG:4326", extra=None) -> bytes:
    """A small GeoJSON of (id, nom, x, y) points; ``crs`` None leaves it out."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"ident": sid, "nom": nom},
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
            for sid, nom, x, y in rows
        ]
        + (extra or []),
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection).encode()


STRASBOURG = [("s1", "Cathédrale", 7.7509, 48.5818), ("s2", "Palais Rohan", 7.7524, 48.5810)]


def upload(client: Client, content: bytes, name: str):
    return client.post("/api/v1/imports/", {"file": SimpleUploadedFile(name, content)})


def preview(client: Client, job_id: int, mapping=None, **params):
    query = {**params}
    if mapping is not None:
        query["mapping"] = json.dumps(mapping)
    return client.get(f"/api/v1/imports/{job_id}/preview/", query)


def run(client: Client, job_id: int, **body):
    return client.post(f"/api/v1/imports/{job_id}/run/", body, content_type="application/json")


@pytest.mark.django_db(transaction=True)
def test_toulouse_geopackage_upload_map_preview_run(client, cast, toulouse_gpkg, tmp_path):
    """Upload the Lambert-93 GeoPackage: its layer, CRS and columns with samples, the POP
    codes suggested (chptico → title…); the preview shows 20 rows reprojected to lon/lat in
    Toulouse and no rejection; the run is a background job creating the 3,174 rows, with
    its progress and counts in the API, and the upload is removed."""
    client.force_login(cast["animateur"])
    response = upload(client, toulouse_gpkg.read_bytes(), toulouse_gpkg.name)
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "layers", "columns", "suggested_mapping"} <= body.keys()
    assert body["layers"] == ["inventaire"] and body["crs"]["detected"] == 2154
    assert body["count"] == TOULOUSE_ROWS and body["status"] == "draft"
    columns = {c["name"]: c["samples"] for c in body["columns"]}
    assert "chptico" in columns and len(columns["chptico"]) == 3
    suggested = body["suggested_mapping"]
    assert suggested["title"] == "chptico" and suggested["commune_insee"] == "chpinsee"
    assert suggested["attributes.denomination"] == "chpdeno"
    assert [c["code"] for c in body["crs"]["offered"][:5]] == [2154, 5490, 2972, 2975, 4471]

    job_id = body["id"]
    shown = preview(client, job_id, suggested, kind="marqueur")
    assert shown.status_code == 200, shown.content
    result = shown.json()
    assert len(result["rows"]) == 20 and result["rejected_count"] == 0
    assert result["accepted"] == TOULOUSE_ROWS
    first = result["rows"][0]
    assert first["title"] and first["kind"] == "marqueur"
    lon, lat = first["geometry"]["coordinates"]
    assert 1.3 < lon < 1.6 and 43.5 < lat < 43.7, (lon, lat)  # Toulouse, not Lambert-93 metres
    assert first["attributes"]["commune_insee"] == "31555"

    queued = run(client, job_id, mapping=suggested, group=cast.group.slug, kind="marqueur")
    assert queued.status_code == 202, queued.content
    assert queued.json()["status"] == "pending"
    assert not Resource.objects.exists()
    assert run(client, job_id, group=cast.group.slug, kind="marqueur").status_code == 404
    run_worker("imports", tmp_path)
    state = client.get(f"/api/v1/imports/{job_id}/").json()
    assert state["status"] == "succeeded", state
    assert (state["created"], state["rejected"], state["percent"]) == (TOULOUSE_ROWS, 0, 100)
    assert Resource.objects.filter(import_job_id=job_id, group=cast.group).count() == TOULOUSE_ROWS
    toulouse = Resource.objects.filter(import_job_id=job_id, attributes__commune_insee="31555")
    assert toulouse.count() > 3000
    assert not list((tmp_path / "imports" / "uploads").glob("*/*")), "upload kept"
    page = client.get(f"/imports/{job_id}/").content.decode()
    assert "Terminé" in page


def test_a_draft_is_its_uploaders_only(client, cast):
    """Another person (even the group's other animateur, even staff) gets 404 on someone's
    draft, its preview and its run; anonymous gets 401; a contributeur may not upload."""
    client.force_login(cast["animateur"])
    job_id = upload(client, points(STRASBOURG), "lieux.geojson").json()["id"]
    urls = [f"/api/v1/imports/{job_id}/", f"/api/v1/imports/{job_id}/preview/"]
    staff = UserFactory(username="equipe", is_staff=True)
    for actor in ("other_animateur", "contributeur", "staff"):
        client.force_login(staff if actor == "staff" else cast[actor])
        for url in urls:
            assert client.get(url).status_code == 404, (actor, url)
        ran = run(client, job_id, group=cast.other_group.slug, kind="marqueur")
        assert ran.status_code == 404, actor
        assert client.get(f"/imports/{job_id}/").status_code == 404
        assert not visible_jobs(staff if actor == "staff" else cast[actor]).filter(pk=job_id)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 401, url
    assert run(client, job_id, group=cast.group.slug, kind="marqueur").status_code == 401
    assert upload(client, points(STRASBOURG), "lieux.geojson").status_code == 401
    client.force_login(cast["contributeur"])
    assert upload(client, points(STRASBOURG), "lieux.geojson").status_code == 403
    client.force_login(cast["other_animateur"])
    other = upload(client, points(STRASBOURG), "lieux.geojson").json()["id"]
    refused = run(client, other, group=cast.group.slug, kind="marqueur")
    assert refused.status_code == 403 and "animateur" in refused.json()["detail"]
    assert ImportJob.objects.get(pk=other).status == ImportJob.Status.DRAFT
    client.force_login(cast["animateur"])
    assert client.get(f"/api/v1/imports/{job_id}/").json()["status"] == "draft"


def test_profile_saved_then_offered_for_the_same_columns_and_used_by_the_cli(
    client, cast, tmp_path
):
    """Running with ``profile`` saves the mapping under that name for the group; the next
    upload with the same columns offers it (first), one with other columns does not; the
    command imports with ``--profile`` exactly as the page would (nom ignored, ident key)."""
    client.force_login(cast["animateur"])
    first = upload(client, points(STRASBOURG), "lieux.geojson").json()
    assert first["profiles"] == []
    mapping = {"source_id": "ident", "summary": "nom", "ignore": []}
    ran = run(
        client,
        first["id"],
        mapping=mapping,
        group=cast.group.slug,
        kind="marqueur",
        profile="Inventaire Occitanie",
    )
    assert ran.status_code == 202, ran.content
    profile = MappingProfile.objects.get()
    assert (profile.name, profile.group, profile.created_by) == (
        "Inventaire Occitanie",
        cast.group,
        cast["animateur"],
    )
    assert profile.columns == ["ident", "nom"]
    assert profile.mapping == {"source_id": "ident", "summary": "nom"}
    again = upload(client, points(STRASBOURG[:1]), "autres_lieux.geojson").json()
    assert [p["name"] for p in again["profiles"]] == ["Inventaire Occitanie"]
    assert again["profiles"][0]["mapping"] == profile.mapping
    extra = [{"type": "Feature", "properties": {"ident": "x", "nom": "y", "autre": 1},
              "geometry": {"type": "Point", "coordinates": [7.7, 48.5]}}]  # fmt: skip
    other = upload(client, points([], extra=extra), "autre.geojson").json()
    assert other["profiles"] == []
    client.force_login(cast["other_animateur"])
    assert upload(client, points(STRASBOURG), "lieux.geojson").json()["profiles"] == []

    path = tmp_path / "lieux.geojson"
    path.write_bytes(points(STRASBOURG))
    call_command(
        "import_geodata",
        str(path),
        "--group",
        cast.group.slug,
        "--kind",
        "marqueur",
        "--profile",
        "Inventaire Occitanie",
        verbosity=0,
        stdout=io.StringIO(),
    )
    rows = Resource.objects.order_by("source_id").values_list("source_id", "title", "summary")
    assert list(rows) == [
        ("s1", "Sans titre (ligne 1)", "Cathédrale"),
        ("s2", "Sans titre (ligne 2)", "Palais Rohan"),
    ]
    with pytest.raises(CommandError, match=r"Profil « Autre » inconnu.*Inventaire Occitanie"):
        call_command(
            "import_geodata", str(path), "--group", cast.group.slug, "--kind", "marqueur",
            "--profile", "Autre", verbosity=0,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_latin1_semicolon_merimee_csv_maps_previews_and_runs(client, cast, territories, tmp_path):
    """The Mérimée 2013 export (Latin-1, « ; », no coordinates) reads as a table: accents
    intact, POP codes suggested, rows placed at their commune, imported by the worker."""
    client.force_login(cast["animateur"])
    path = MERIMEE_FILES["2013"]
    body = upload(client, path.read_bytes(), path.name).json()
    assert body["crs"]["detected"] is None and body["count"] == 3
    names = [c["name"] for c in body["columns"]]
    assert names[:3] == ["REF", "ETUD", "LOCA"]
    assert body["suggested_mapping"]["title"] == "TICO"
    assert body["suggested_mapping"]["source_id"] == "REF"
    result = preview(client, body["id"], body["suggested_mapping"]).json()
    assert result["accepted"] == 3 and result["rejected_count"] == 0, result
    titles = [row["title"] for row in result["rows"]]
    assert "Eglise de la Nativité" in titles  # read as Latin-1, not mojibake
    assert any("Latin-1" in w for w in result["file_warnings"])
    assert result["rows"][0]["geometry"]["type"] == "Point"
    assert "commune" in result["rows"][0]["warnings"][0]["message"]
    ran = run(
        client, body["id"], mapping=body["suggested_mapping"], group=cast.group.slug,
        kind="marqueur",
    )  # fmt: skip
    assert ran.status_code == 202
    run_worker("imports", tmp_path)
    job = ImportJob.objects.get(pk=body["id"])
    assert (job.status, job.created) == (ImportJob.Status.SUCCEEDED, 3), job.error
    assert Resource.objects.filter(source_id="PA00078015").get().title == "Eglise de la Nativité"


def test_wrong_crs_names_file_row_and_column_and_nothing_is_written(client, cast, tmp_path):
    """Lon/lat points declared as Lambert-93 (or a Lambert-93 file declared as lon/lat) are
    refused as a whole, naming the file, the row and the column; a stray point among good
    ones rejects that row only."""
    client.force_login(cast["animateur"])
    body = upload(client, points(STRASBOURG), "lieux.geojson").json()
    mapping = {"title": "nom", "source_id": "ident"}
    refused = preview(client, body["id"], mapping, crs=2154)
    assert refused.status_code == 400
    message = refused.json()["detail"]
    assert "« lieux.geojson », ligne 1, colonne « geometry »" in message
    assert "EPSG:2154" in message and "erroné" in message
    ran = run(client, body["id"], mapping=mapping, group=cast.group.slug, kind="marqueur", crs=2154)
    assert ran.status_code == 400 and "ligne 1" in ran.json()["detail"]
    assert ImportJob.objects.get(pk=body["id"]).status == ImportJob.Status.DRAFT
    lambert = upload(client, points([("a", "A", 652000, 6862000)], crs=None), "l93.geojson")
    refused = preview(client, lambert.json()["id"], mapping)
    assert refused.status_code == 400 and "EPSG:4326" in refused.json()["detail"]
    assert preview(client, lambert.json()["id"], mapping, crs=2154).json()["accepted"] == 1
    stray = points([*STRASBOURG, ("s3", "Perdu", 7.75, 48.58)])
    stray = stray.replace(b"[7.75, 48.58]", b"[400.0, 48.58]")
    result = preview(client, upload(client, stray, "stray.geojson").json()["id"], mapping).json()
    assert result["accepted"] == 2 and result["rejected"][0]["row"] == 3
    assert result["rejected"][0]["problems"][0]["field"] == "geometry"
    assert not Resource.objects.exists()


def test_mixed_geometry_types_broken_zip_unknown_target(client, cast):
    """A polygon among points is rejected naming its row and column; a broken zip and an
    unknown mapping target answer 400 in French, never 500, and keep nothing."""
    client.force_login(cast["animateur"])
    square = [[7.7, 48.5], [7.71, 48.5], [7.71, 48.51], [7.7, 48.5]]
    polygon = {"type": "Feature", "properties": {"ident": "p", "nom": "Parc"},
               "geometry": {"type": "Polygon", "coordinates": [square]}}  # fmt: skip
    body = upload(client, points(STRASBOURG, extra=[polygon]), "mixte.geojson").json()
    result = preview(client, body["id"], {"title": "nom", "source_id": "ident"}).json()
    assert result["accepted"] == 2 and result["rejected_count"] == 1
    rejected = result["rejected"][0]
    assert rejected["row"] == 3 and rejected["source_id"] == ""
    problem = rejected["problems"][0]
    assert (
        problem["field"] == "geometry"
        and "Polygon dans une couche de type Point" in (problem["message"])
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lieux.geojson", points(STRASBOURG) * 20)
    data = buffer.getvalue()
    broken = data[:40] + b"\x00" * 200 + data[240:]  # the member's data is garbage
    response = upload(client, broken, "lieux.zip")
    assert response.status_code == 400, response.content
    assert "lieux" in response.json()["detail"] and "illisible" in response.json()["detail"]
    truncated = upload(client, data[: len(data) // 2], "coupe.zip")
    assert truncated.status_code == 400 and "zip" in truncated.json()["detail"]
    assert ImportJob.objects.count() == 1

    unknown = preview(client, body["id"], {"titre_court": "nom"})
    assert unknown.status_code == 400
    detail = json.dumps(unknown.json(), ensure_ascii=False)
    assert "Cible inconnue « titre_court » pour la colonne « nom »" in detail
    missing = preview(client, body["id"], {"title": "absente"})
    assert missing.status_code == 400
    assert "« mixte.geojson » : colonne(s) absente(s) : absente" in missing.json()["detail"]
    bad_crs = preview(client, body["id"], {"title": "nom"}, crs=999999)
    assert bad_crs.status_code == 400 and "EPSG" in json.dumps(bad_crs.json())


def test_abandoned_drafts_leave_with_their_files(client, cast, tmp_path):
    """A draft nobody ran for DRAFT_HOURS is removed with its stored file; a recent one and
    queued jobs stay."""
    client.force_login(cast["animateur"])
    old = upload(client, points(STRASBOURG), "vieux.geojson").json()["id"]
    recent = upload(client, points(STRASBOURG), "recent.geojson").json()["id"]
    stored = Path(ImportJob.objects.get(pk=old).options["path"])
    assert stored.is_file()
    later = timezone.now() + timedelta(hours=DRAFT_HOURS, minutes=1)
    job = ImportJob.objects.get(pk=recent)
    job.options["uploaded_at"] = later.isoformat()
    job.save()
    assert purge_abandoned(later) == 1
    assert not stored.exists() and not stored.parent.exists()
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent]
