"""Undoing an import (issue 21, item 5): created rows deleted, updated rows restored exactly,
all or nothing; refused for rows edited since, for people who are not animateurs of the
job's group, and a second time; unknown to whoever may not see the job.

Rows are compared column by column as PostgreSQL holds them (the geometry as EWKB, the
timestamps to the microsecond), never through the importer's own record.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from importers.models import ImportJob, OverwrittenRow
from importers.undo import UndoRefused, undo_import
from observatoire import services
from observatoire.attachments import attach
from observatoire.models import Resource
from observatoire.signals import resources_changed
from workgroups.errors import NotAllowed
from workgroups.models import User
from workgroups.roles import Role

from ..factories import GroupFactory, MembershipFactory
from .conftest import run_command

#: Every test commits, as imports do in production: each import's rows carry the time of its
#: own transaction (``updated_at = now()``), which one test transaction would make the same.
pytestmark = pytest.mark.django_db(transaction=True)

#: A partner's file: id, title, delivery date, architect, and a place; R2 (Le Havre) has a
#: longitude of 17 decimals, as reprojected ones do, which PostGIS's GeoJSON (15) would round.
FIRST = {
    "R1": ("Médiathèque", "2019-06-01", "Agence A", [3.0635128901, 50.6292456712]),
    "R2": ("Gare", "1892-01-01", "Sidney Dunnett", [0.10701234567891234, 49.49240123456789]),
    "R3": ("Piscine", "1932-10-20", "Albert Baert", [3.1630111111, 50.6893222222]),
    "R4": ("Beffroi", "1932-01-01", "Émile Dubuisson", [3.0700000001, 50.6310000001]),
}
#: The same file a month later: a title, a place, an architect and a date changed, R4
#: as it was, R5 new.
SECOND = {
    **FIRST,
    "R1": ("Médiathèque Jean-Lévy", *FIRST["R1"][1:]),
    "R2": (*FIRST["R2"][:3], [3.0710987654, 50.6370123456]),
    "R3": ("Piscine", "1932-10-21", "A. Baert", FIRST["R3"][3]),
    "R5": ("Opéra", "1923-01-01", "Louis-Marie Cordonnier", [3.0657, 50.6375]),
}


def write_file(path: Path, rows: dict) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"ident": key, "nom": title, "livraison": date, "archi": archi},
            "geometry": {"type": "Point", "coordinates": coords},
        }
        for key, (title, date, archi, coords) in rows.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def import_file(path: Path, username: str = "anim") -> ImportJob:
    counts, _report = run_command(
        "import_geodata",
        str(path),
        "--group",
        "patrimoine",
        "--as",
        username,
        "--kind",
        "realisation",
        "--source",
        "partenaire",
        *("--map", "source_id=ident", "--map", "title=nom"),
        *("--map", "date_start=livraison", "--map", "attributes.architecte=archi"),
    )
    assert counts["rejected"] == 0, counts
    return ImportJob.objects.latest("id")


def table() -> dict[int, tuple]:
    """Every resource row, every stored column, as PostgreSQL has it."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT id, base, kind, title, summary, description, themes, date_start, date_end,
                      encode(ST_AsEWKB(geom), 'hex'), attributes::text, level, group_id,
                      author_id, validated_by_id, validated_at, source, source_id,
                      import_job_id, created_at, updated_at, search_vector::text
                 FROM observatoire_resource ORDER BY id"""
        )
        return {row[0]: row for row in cursor.fetchall()}


@pytest.fixture
def imports(heritage_group, tmp_path):
    """The first file imported, its table, then the second imported over it."""
    _group, animateur = heritage_group
    first = import_file(write_file(tmp_path / "lieux.geojson", FIRST))
    after_first = table()
    second = import_file(write_file(tmp_path / "lieux.geojson", SECOND))
    assert (second.created, second.updated, second.unchanged) == (1, 3, 1)
    return first, second, after_first, animateur


def test_undo_restores_updated_rows_exactly_and_deletes_created_ones(imports):
    """Undoing the re-import gives back the table of the first import, row by row and column
    by column; undoing the first import then leaves no row at all."""
    first, second, after_first, animateur = imports
    assert table() != after_first
    assert OverwrittenRow.objects.filter(job=second).count() == 3

    plan = undo_import(animateur, second)

    assert (plan.deleted, plan.restored) == (1, 3)
    assert table() == after_first
    second.refresh_from_db()
    assert second.status == ImportJob.Status.UNDONE
    assert second.undone_by == animateur and second.undone_at is not None
    assert (second.undone_deleted, second.undone_restored) == (1, 3)
    assert not OverwrittenRow.objects.filter(job=second).exists()

    plan = undo_import(animateur, first)
    assert (plan.deleted, plan.restored) == (4, 0)
    assert table() == {}


def test_undo_is_all_or_nothing_when_a_person_edited_a_row_since(imports):
    """One row edited by a person after the import refuses the whole undo, naming it; nothing
    changes."""
    _first, second, _after_first, animateur = imports
    gare = Resource.objects.get(source_id="R2")
    services.update_resource(animateur, gare, summary="Relue sur place.")
    before = table()

    with pytest.raises(UndoRefused) as refused:
        undo_import(animateur, second)

    assert "1 ressource a été modifiée depuis l'import" in refused.value.message
    assert "« Gare »" in refused.value.message
    assert refused.value.edited == [{"id": gare.pk, "title": "Gare"}]
    assert table() == before
    second.refresh_from_db()
    assert second.status == ImportJob.Status.SUCCEEDED


def test_an_earlier_import_waits_for_the_later_one_to_be_undone(imports):
    """The first import's rows rewritten by the second are edited since: undoing the first is
    refused while the second stands (naming them)."""
    first, _second, _after_first, animateur = imports
    before = table()
    with pytest.raises(UndoRefused) as refused:
        undo_import(animateur, first)
    assert "3 ressources ont été modifiées" in refused.value.message
    assert {row["title"] for row in refused.value.edited} == {
        "Médiathèque Jean-Lévy",
        "Gare",
        "Piscine",
    }
    assert table() == before


def test_attachment_or_link_on_a_created_row_refuses_the_undo(imports, settings, tmp_path):
    """An attachment or a link from another resource would go with the deleted row: refused."""
    settings.MEDIA_ROOT = tmp_path
    _first, second, _after_first, animateur = imports
    opera = Resource.objects.get(source_id="R5")
    photo = SimpleUploadedFile("facade.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    attach(animateur, opera, [photo])
    with pytest.raises(UndoRefused, match="Opéra"):
        undo_import(animateur, second)
    opera.attachments.all().delete()

    other = services.create_resource(
        animateur, opera.group, base="observatoire", kind="marqueur", title="Place", geom=opera.geom
    )
    other.links.add(opera)
    with pytest.raises(UndoRefused, match="Opéra"):
        undo_import(animateur, second)


def test_undo_twice_is_refused(imports):
    _first, second, _after_first, animateur = imports
    undo_import(animateur, second)
    after_undo = table()
    with pytest.raises(UndoRefused, match="déjà été annulé"):
        undo_import(animateur, second)
    assert table() == after_undo


def test_only_an_animateur_of_the_group_undoes(imports):
    """A contributeur of the group, an animateur of another group: refused, nothing changed."""
    _first, second, _after_first, _animateur = imports
    contributeur = User.objects.get(username="contrib")
    other = MembershipFactory(group=GroupFactory(), role=Role.ANIMATEUR).user
    before = table()
    for person in (contributeur, other):
        with pytest.raises(NotAllowed):
            undo_import(person, second)
    assert table() == before


# --- channels ------------------------------------------------------------------------------


def test_api_undo_answers_counts_then_409_with_the_reason(client, imports):
    first, second, _after_first, animateur = imports
    client.force_login(animateur)
    refused = client.post(f"/api/v1/imports/{first.pk}/undo/")
    assert refused.status_code == 409
    assert "modifiées depuis l'import" in refused.json()["detail"]
    assert len(refused.json()["edited"]) == 3

    done = client.post(f"/api/v1/imports/{second.pk}/undo/")
    assert done.status_code == 200 and done.json() == {"deleted": 1, "restored": 3}
    again = client.post(f"/api/v1/imports/{second.pk}/undo/")
    assert again.status_code == 409 and "déjà été annulé" in again.json()["detail"]
    assert again.json()["edited"] == []


def test_api_undo_is_404_to_whoever_cannot_see_the_job_and_403_to_its_contributeur(
    client, heritage_group, tmp_path
):
    """The contributeur who ran an import sees it but may not undo it (403); a member of the
    group who did not run it and an animateur of another group do not see it (404)."""
    job = import_file(write_file(tmp_path / "lieux.geojson", FIRST), username="contrib")
    before = table()
    outsider = MembershipFactory(group=GroupFactory(), role=Role.ANIMATEUR).user
    lecteur = MembershipFactory(group=heritage_group[0], role=Role.LECTEUR).user
    expected = {"contrib": 403, outsider.username: 404, lecteur.username: 404}
    for username, status in expected.items():
        client.force_login(User.objects.get(username=username))
        response = client.post(f"/api/v1/imports/{job.pk}/undo/")
        assert response.status_code == status, username
    client.logout()
    assert client.post(f"/api/v1/imports/{job.pk}/undo/").status_code in (401, 403)
    assert client.post("/api/v1/imports/999999/undo/").status_code in (401, 403)
    assert table() == before


def test_web_button_confirmation_page_then_undo(client, imports):
    """The job page offers the button; the page it leads to says what will happen; the POST
    undoes and the job page tells who undid it."""
    _first, second, after_first, animateur = imports
    client.force_login(animateur)
    page = client.get(f"/imports/{second.pk}/").content.decode()
    assert f"/imports/{second.pk}/annuler/" in page and "Annuler cet import" in page

    confirm = client.get(f"/imports/{second.pk}/annuler/").content.decode()
    assert "1 ressource créée par cet import sera supprimée" in confirm
    assert "3 ressources mises à jour retrouveront leurs valeurs" in confirm
    assert table() != after_first

    response = client.post(f"/imports/{second.pk}/annuler/")
    assert response.status_code == 302 and response["Location"] == f"/imports/{second.pk}/"
    assert table() == after_first
    page = client.get(f"/imports/{second.pk}/").content.decode()
    assert "Annulé" in page and "par anim" in page
    assert f"/imports/{second.pk}/annuler/" not in page
    assert client.post(f"/imports/{second.pk}/annuler/").status_code == 409


def test_web_undo_is_refused_with_the_edited_rows_named(client, imports):
    first, _second, _after_first, animateur = imports
    client.force_login(animateur)
    response = client.get(f"/imports/{first.pk}/annuler/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "3 ressources ont été modifiées depuis l&#x27;import" in page and "Gare" in page
    assert "Annuler cet import</button>" not in page


def test_command_undoes_with_dry_run_first(imports):
    _first, second, after_first, _animateur = imports
    out = io.StringIO()
    call_command("undo_import", str(second.pk), "--as", "anim", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "deleted=1 restored=3"
    assert table() != after_first
    call_command("undo_import", str(second.pk), "--as", "anim", stdout=io.StringIO())
    assert table() == after_first
    with pytest.raises(CommandError, match="déjà été annulé"):
        call_command("undo_import", str(second.pk), "--as", "anim")
    with pytest.raises(CommandError, match="animateurs du groupe"):
        call_command("undo_import", str(second.pk), "--as", "contrib")


def test_undo_tells_the_tile_cache_what_changed(imports):
    """Restored rows may have moved: every tile goes; created rows only: their extent goes."""
    first, second, _after_first, animateur = imports
    announced = []

    def listen(sender, bounds, **kwargs):
        announced.append(bounds)

    resources_changed.connect(listen)
    try:
        undo_import(animateur, second)
        undo_import(animateur, first)
    finally:
        resources_changed.disconnect(listen)
    lons = [coords[0] for *_fields, coords in FIRST.values()]
    lats = [coords[1] for *_fields, coords in FIRST.values()]
    assert announced[0] is None
    assert announced[1] == pytest.approx((min(lons), min(lats), max(lons), max(lats)))
