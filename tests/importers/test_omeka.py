"""Omeka S import: the real JSON-LD and CSV samples (the same 4 items), detected by content."""

import csv
import json

import pytest
from django.core.management.base import CommandError

from observatoire.models import Resource

from .conftest import ARCHIRES, run_command

pytestmark = pytest.mark.django_db

JSONLD = ARCHIRES / "omeka_s" / "item_get.json"
EXPORT_CSV = ARCHIRES / "omeka_s" / "items_samples_VIA_Export_CSV_module.csv"


def omeka(path, *args):
    return run_command("import_omeka", str(path), "--group", "patrimoine", *args)


def test_jsonld_items_become_publications_at_their_school(heritage):
    """The 4 JSON-LD items: publications keyed by the Koha biblionumber, students, type,
    year and school from the code lists, placed at the school's city; private items
    are reported."""
    counts, report = omeka(JSONLD)
    assert counts == dict(
        read=4, created=4, updated=0, unchanged=0, rejected=0, warnings=2, conflicts=0
    )
    items = Resource.objects.filter(source="omeka")
    assert set(items.values_list("source_id", flat=True)) == {
        "511653",
        "511651",
        "511649",
        "511648",
    }
    assert set(items.values_list("kind", flat=True)) == {"publication"}
    fluvial = items.get(source_id="511648")
    attrs = fluvial.attributes
    assert attrs["etudiants"] == ["Brice Cossart", "Arnaud Sanson"]
    assert attrs["type_travail"] == "PFE" and attrs["annee"] == 2018
    assert attrs["ecole_code"] == "PVDS" and attrs["ecole"] == "ENSA de Paris-Val de Seine"
    assert attrs["commune_insee"] == "75056" and attrs["geoloc_precision"] == "ecole"
    assert attrs["titre_projet"] == "Une stratégie de mobilité fluviale"
    assert attrs["omeka_id"] == "68341" and attrs["omeka_public"] is False
    assert attrs["cote"] == "04/18/5665" and attrs["omeka_groupes"] == ["3556", "3564"]
    assert items.get(source_id="511653").attributes["commune_insee"] == "67482"  # STRB
    assert items.get(source_id="511651").attributes["commune_insee"] == "69123"  # LYON
    with open(report, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["identifiant"], r["champ"]) for r in rows} == {
        ("511649", "o:is_public"),
        ("511648", "o:is_public"),
    }


def test_csv_export_reads_as_the_same_items(heritage):
    """The Export CSV module's file (211 columns, ``;`` multi-values, an unheaded trailing
    column) gives the same resources: after the JSON-LD it changes nothing, and again."""
    counts, _ = omeka(EXPORT_CSV, "--dry-run")
    assert counts["read"] == 4 and counts["created"] == 4 and not Resource.objects.exists()
    omeka(JSONLD)
    counts, _ = omeka(EXPORT_CSV)
    assert counts == dict(
        read=4, created=0, updated=0, unchanged=4, rejected=0, warnings=2, conflicts=0
    )
    counts, _ = omeka(EXPORT_CSV)
    assert counts["unchanged"] == 4 and Resource.objects.count() == 4


def test_bad_omeka_files(heritage, tmp_path):
    """A CSV without ``o:id`` fails with a French message; a JSON entry that is no item is
    rejected with a report row while the others are imported."""
    wrong = tmp_path / "items.csv"
    wrong.write_text("titre,auteur\nUn titre,Une autrice\n", encoding="utf-8")
    with pytest.raises(CommandError, match="o:id"):
        omeka(wrong)
    items = json.loads(JSONLD.read_text(encoding="utf-8"))
    mixed = tmp_path / "items.json"
    mixed.write_text(json.dumps([items[0], {"titre": "pas un item"}]), encoding="utf-8")
    counts, _ = omeka(mixed)
    assert counts["read"] == 2 and counts["created"] == 1 and counts["rejected"] == 1
