"""Web import: upload page, queued procrastinate job run by the real worker, job page, limits,
who may see what, and the tile cache after an import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from importers import tasks
from importers.models import ImportJob
from observatoire.models import Resource

from ..factories import UserFactory
from ..tiles.conftest import ids_in, tile_of
from ..workers import run_worker as run_queue
from .conftest import ARCHIRES, MERIMEE_FILES

#: three real places of Strasbourg, as a small GeoJSON an animateur would upload
PLACES = [
    ("s1", "Cathédrale Notre-Dame", 7.7509, 48.5818),
    ("s2", "Palais Rohan", 7.7524, 48.5810),
    ("s3", "Ponts couverts", 7.7364, 48.5796),
]


def geojson(places=PLACES) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": sid, "nom": title},
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                }
                for sid, title, lon, lat in places
            ],
        }
    ).encode()


def upload(client, group, content=None, name="lieux.geojson", **fields):
    data = {
        "group": group.pk,
        "source": "geodata",
        "base": "observatoire",
        "kind": "marqueur",
        "level": "public",
        "id_column": "id",
        "file": SimpleUploadedFile(name, geojson() if content is None else content),
        **fields,
    }
    return client.post("/imports/nouveau/", data)


def run_worker(var_dir: Path) -> None:
    """The real worker on the imports queue, until it is empty."""
    run_queue("imports", var_dir)


@pytest.mark.django_db(transaction=True)
def test_upload_queues_then_worker_imports_with_progress_and_report(client, cast, tmp_path):
    """The request only queues the job (nothing imported yet); the worker imports it; the job
    page and its JSON show status, rows done / total, counts and the report link."""
    client.force_login(cast["animateur"])
    response = upload(client, cast.group)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.PENDING
    assert not Resource.objects.filter(import_job=job).exists()
    state = client.get(f"/imports/{job.pk}/etat.json").json()
    assert state["status"] == "pending" and state["done"] is False

    dry = upload(client, cast.group, dry_run="on")
    dry_job = ImportJob.objects.get(pk=int(dry["Location"].split("/")[2]))
    run_worker(tmp_path)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert (job.total, job.read, job.created, job.rejected) == (3, 3, 3, 0)
    titles = set(Resource.objects.filter(import_job=job).values_list("title", flat=True))
    assert titles == {p[1] for p in PLACES}
    dry_job.refresh_from_db()
    assert dry_job.status == ImportJob.Status.SUCCEEDED and dry_job.dry_run
    assert not Resource.objects.filter(import_job=dry_job).exists()
    state = client.get(f"/imports/{job.pk}/etat.json").json()
    assert state["done"] and state["percent"] == 100 and state["created"] == 3
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Terminé" in page and f"/imports/{job.pk}/rapport.csv" in page
    report = client.get(f"/imports/{job.pk}/rapport.csv").content.decode()
    assert report.startswith("ligne,identifiant,champ,niveau,message")
    assert not list((tmp_path / "imports" / "uploads").glob("*/*")), "upload kept"


@pytest.mark.django_db(transaction=True)
def test_real_merimee_and_archires_files_through_the_page_and_the_worker(
    client, cast, tmp_path, territories
):
    """The real Mérimée 2013 extract and Archirès sample, uploaded on the page, are imported by
    the worker with the same counts as the commands: every row read is created or rejected."""
    client.force_login(cast["animateur"])
    files = {
        "merimee": MERIMEE_FILES["2013"],
        "archires": ARCHIRES / "unimarc" / "records_sample.iso2709",
    }
    for source, path in files.items():
        response = upload(
            client,
            cast.group,
            content=path.read_bytes(),
            name=path.name,
            source=source,
            base="",
            kind="",
            id_column="",
        )
        assert response.status_code == 302, response.content.decode()[:500]
    run_worker(tmp_path)
    for job in ImportJob.objects.all():
        assert job.status == ImportJob.Status.SUCCEEDED, job.error
        assert job.read == job.created + job.rejected and job.created > 0
        assert Resource.objects.filter(import_job=job).count() == job.created
    archires = ImportJob.objects.get(source="archires")
    assert (archires.read, archires.created) == (55, 55)


@pytest.mark.django_db(transaction=True)
def test_imported_public_resource_appears_in_previously_cached_tile(client, cast, tmp_path):
    """A tile cached before the import is invalidated by the worker, so the anonymous tile
    served afterwards shows the imported public resource."""
    z, x, y = tile_of(7.7509, 48.5818, 14)
    url = f"/tiles/observatoire/{z}/{x}/{y}.pbf"
    assert ids_in(client.get(url).content) == set()
    assert list(tmp_path.glob("tiles/**/*.pbf")), "tile not cached"
    client.force_login(cast["animateur"])
    assert upload(client, cast.group).status_code == 302
    run_worker(tmp_path)
    client.logout()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, (job.status, job.error)
    imported = set(Resource.objects.filter(source_id="s1").values_list("pk", flat=True))
    assert imported and imported <= ids_in(client.get(url).content)


def test_wrong_file_type_is_refused_in_french_and_nothing_written(client, cast, tmp_path):
    """A file of the wrong type or binary content answers 400 naming the file; no job, no
    stored upload."""
    client.force_login(cast["animateur"])
    for name, content in [("lieux.exe", b"MZ\x90\x00"), ("lieux.geojson", b"\x00\x01binaire")]:
        response = upload(client, cast.group, content=content, name=name)
        assert response.status_code == 400
        assert "Type de fichier refusé" in response.content.decode() or "binaire" in (
            response.content.decode()
        )
    assert not ImportJob.objects.exists()
    assert not (tmp_path / "imports" / "uploads").exists() or not any(
        (tmp_path / "imports" / "uploads").iterdir()
    )


def test_geodata_needs_base_and_kind(client, cast):
    """Without base and kind the form answers 400 naming the fields."""
    client.force_login(cast["animateur"])
    response = upload(client, cast.group, base="", kind="")
    assert response.status_code == 400
    assert "Obligatoire pour un fichier géographique" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_oversized_upload_is_413_in_french(client, cast, settings):
    """Beyond IMPORT_MAX_UPLOAD_BYTES the answer is 413 with a French message; no job."""
    settings.SPASS = {**settings.SPASS, "IMPORT_MAX_UPLOAD_BYTES": 100}
    client.force_login(cast["animateur"])
    response = upload(client, cast.group)
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.content.decode()
    big = upload(client, cast.group, content=geojson() + b" " * 200_000)
    assert big.status_code == 413
    assert not ImportJob.objects.exists()


def test_only_animateurs_of_the_group_and_staff_import_or_see_the_job(client, cast):
    """Members below animateur may not open the page; another group's animateur cannot
    import into this group; the job page, its JSON and report are 404 to everyone but the
    group's animateurs and staff."""
    client.force_login(cast["contributeur"])
    assert client.get("/imports/nouveau/").status_code == 403
    client.force_login(cast["other_animateur"])
    assert client.get("/imports/nouveau/").status_code == 200
    assert upload(client, cast.group).status_code == 400
    assert not ImportJob.objects.exists()
    client.force_login(cast["animateur"])
    assert client.get("/imports/nouveau/").status_code == 200
    assert upload(client, cast.group).status_code == 302
    job = ImportJob.objects.get()
    urls = [f"/imports/{job.pk}/", f"/imports/{job.pk}/etat.json", f"/imports/{job.pk}/rapport.csv"]
    for actor in ("anonymous", "account", "lecteur", "contributeur", "expert", "other_animateur"):
        client.logout()
        if actor != "anonymous":
            client.force_login(cast[actor])
        for url in urls:
            assert client.get(url).status_code == 404, (actor, url)
    client.force_login(UserFactory(username="equipe", is_staff=True))
    assert all(client.get(url).status_code == 200 for url in urls)
    client.force_login(cast["animateur"])
    assert all(client.get(url).status_code == 200 for url in urls)


def test_progress_is_written_on_the_job_row_while_reading(cast, monkeypatch):
    """The task's progress counter adds the rows read to the job row as it goes, so the page
    (and its JSON) can show rows done / total before the import ends."""
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0)
    job = ImportJob.objects.create(source="geodata", group=cast.group, total=10)
    progress = tasks.Progress(job.pk)
    for _row in range(4):
        progress(1)
    job.refresh_from_db()
    assert (job.read, job.total) == (4, 10)


def test_admin_add_leads_to_the_web_import_page(client, cast):
    """In the admin, « Ajouter » an import opens the upload page."""
    client.force_login(UserFactory(username="admin-equipe", is_staff=True, is_superuser=True))
    response = client.get("/admin/importers/importjob/add/")
    assert response.status_code == 302 and response["Location"] == "/imports/nouveau/"
