"""The web import in three steps through its API (upload → mapping and preview → run), with
real files and the real worker: the Toulouse Inventaire file as a Lambert-93 GeoPackage, the
Latin-1 Mérimée 2013 CSV; who may see a draft; mapping profiles; bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyogrio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from importers.models import ImportIssue, ImportJob, MappingProfile
from observatoire.models import Resource

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
