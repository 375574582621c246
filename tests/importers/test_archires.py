"""Archirès UNIMARC import: both real sample files, counts checked, places, upsert, report."""

import csv
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError

from importers.models import ImportIssue, ImportJob
from observatoire.models import Resource

from .conftest import ARCHIRES, run_command

pytestmark = pytest.mark.django_db

SAMPLE = ARCHIRES / "unimarc" / "records_sample.iso2709"
SAMPLE2 = ARCHIRES / "unimarc" / "records_sample2.iso2709"
UPDATED = 11  # apostrophes (’ → ') and one type (LIV → TE) changed


def archires(path, *args):
    return run_command("import_archires", str(path), "--group", "patrimoine", *args)


def report_rows(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_first_sample_every_record_imported_and_placed(heritage):
    """The 55 real records: all created; works whose project place is a French commune
    become réalisations there, the others publications at their school's city."""
    group, animateur = heritage
    counts, report = archires(SAMPLE)
    assert counts["read"] == 55 and counts["created"] == 55 and counts["rejected"] == 0
    assert counts["read"] == counts["created"] + counts["rejected"]
    archires_rows = Resource.objects.filter(source="archires")
    assert archires_rows.count() == 55
    assert archires_rows.filter(kind="realisation", base="observatoire").count() == 26
    assert archires_rows.filter(kind="publication", base="mediatheque").count() == 29
    assert not archires_rows.filter(geom__isnull=True).exists()

    bordeaux = Resource.objects.get(source="archires", source_id="187601")
    assert bordeaux.kind == "realisation" and bordeaux.group == group
    assert bordeaux.author == animateur and bordeaux.level == "groupe"
    attrs = bordeaux.attributes
    assert attrs["commune_insee"] == "33063" and attrs["geoloc_precision"] == "commune"
    assert attrs["type_travail"] == "TATE"  # TE renamed
    assert attrs["ecole_code"] == "BRDX" and attrs["ecole"] == "ENSAP de Bordeaux"
    assert attrs["annee"] == 1997 and str(bordeaux.date_start) == "1997-01-01"
    assert attrs["lieux_projet"][0] == "Bordeaux (Gironde) -- Place Paul-Doumer"

    marseille = Resource.objects.get(source="archires", source_id="104362")
    assert marseille.kind == "publication" and marseille.base == "mediatheque"
    attrs = marseille.attributes
    assert attrs["type_travail"] == "PFE" and attrs["type_libelle"].startswith("PFE")
    assert attrs["geoloc_precision"] == "ecole" and attrs["commune_insee"] == "13055"
    assert attrs["etudiants"] == ["Jules Guignard"] and attrs["directeurs"] == ["Alain Calvy"]
    assert attrs["url"] == "http://pfe.marseille.archi.fr/pfe/15083096.pdf"
    assert "Logement" in attrs["mots_cles"] and "Logement" in marseille.themes
    assert marseille.description.startswith("Sans se confronter")
    assert marseille.summary == "PFE (Projet de fin d'études) — ENSA de Marseille — 2008"

    montreal = Resource.objects.get(source="archires", source_id="38146")  # 609 abroad
    assert montreal.kind == "publication" and montreal.attributes["commune_insee"] == "63113"
    muna = Resource.objects.get(source="archires", source_id="496806")  # Alès (Gard)
    assert muna.attributes["commune_insee"] == "30007"
    assert Resource.objects.get(source_id="69805").attributes["jury"] == ["Alain Dervieux"]

    rows = report_rows(report)
    assert len(rows) == counts["warnings"] == 4
    assert {(r["identifiant"], r["champ"]) for r in rows} == {
        ("181337", "annee"),  # "s. d." and a blank year in 100$a
        ("374970", "titre"),  # longer than 255 characters
        ("173316", "type"),  # LIV: a book, not a student work
        ("118074", "type"),
    }
    assert bordeaux not in Resource.objects.visible_to(AnonymousUser())


def test_superset_then_reimport_creates_nothing(heritage):
    """The 80-record superset after the 55: only the 25 new records are created; importing
    it again creates and rewrites nothing."""
    archires(SAMPLE)
    counts, report = archires(SAMPLE2)
    assert counts["read"] == 80 and counts["rejected"] == 0
    assert counts["created"] == 25
    # the second file spells accents decomposed (NFD): read as the same text, so only the
    # records whose content changed are rewritten (apostrophes; 118074: LIV became TE)
    assert counts["updated"] == UPDATED and counts["unchanged"] == 55 - UPDATED
    assert Resource.objects.filter(source="archires").count() == 80
    warned = {(r["identifiant"], r["champ"]) for r in report_rows(report)}
    assert ("1733169998", "type") in warned  # synthetic record without a type
    assert ("10138", "localisation") not in warned
    assert ("37630", "ecole") in warned and ("37630", "localisation") in warned
    villette = Resource.objects.get(source_id="10138")  # Haut-Rhin: placed at its school
    assert villette.attributes["geoloc_precision"] == "ecole"
    assert villette.attributes["commune_insee"] == "75056"  # ENSA de Paris-La Villette
    unplaced = Resource.objects.get(source="archires", source_id="37630")
    assert unplaced.geom is None and unplaced.kind == "publication"
    assert Resource.objects.get(source_id="45546").attributes.get("annee") is None

    stamp = dict(Resource.objects.filter(source="archires").values_list("id", "updated_at"))
    counts, _ = archires(SAMPLE2)
    assert counts == dict(
        read=80,
        created=0,
        updated=0,
        unchanged=80,
        rejected=0,
        warnings=counts["warnings"],
        conflicts=0,
    )
    assert dict(Resource.objects.filter(source="archires").values_list("id", "updated_at")) == (
        stamp
    )


def test_dry_run_zip_and_limit(heritage, tmp_path):
    """A zipped file is read; ``--dry-run`` writes only the job and its report; ``--limit``
    stops reading after N records."""
    archive = tmp_path / "notices.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLE2, "export/records_sample2.iso2709")
    counts, report = archires(archive, "--dry-run")
    assert counts["read"] == 80 and counts["created"] == 80
    assert not Resource.objects.exists()
    job = ImportJob.objects.get()
    assert job.dry_run and job.status == "succeeded" and report.is_file()
    assert ImportIssue.objects.filter(job=job).count() == counts["warnings"]

    counts, _ = archires(SAMPLE, "--limit", "10")
    assert counts["read"] == 10 and Resource.objects.count() == 10


def test_unreadable_record_is_rejected_and_max_errors_aborts(heritage, tmp_path):
    """A record with a corrupt leader is rejected with a report row, the others imported;
    above ``--max-errors`` the command fails and writes no resource."""
    data = bytearray(SAMPLE.read_bytes())
    second = int(data[:5])
    data[second + 12 : second + 17] = b"abcde"  # base address of the second record
    broken = tmp_path / "broken.iso2709"
    broken.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="rejetées"):
        archires(broken, "--max-errors", "0")
    assert not Resource.objects.exists()
    counts, report = archires(broken)
    assert counts["read"] == 55 and counts["rejected"] == 1 and counts["created"] == 54
    errors = [r for r in report_rows(report) if r["niveau"] == "erreur"]
    assert len(errors) == 1 and errors[0]["ligne"] == "2" and "illisible" in errors[0]["message"]


def test_wrong_file_type_and_missing_code_lists(heritage, tmp_path):
    """A CSV given as UNIMARC, or missing code lists, fail with a French message and
    write nothing."""
    wrong = tmp_path / "notices.iso2709"
    wrong.write_text("titre;auteur\nUn titre;Une autrice\n", encoding="utf-8")
    with pytest.raises(CommandError, match="UNIMARC ISO 2709"):
        archires(wrong)
    with pytest.raises(CommandError, match="Tables de correspondance"):
        archires(SAMPLE, "--mapping", str(tmp_path))
    assert not Resource.objects.exists()
    assert ImportJob.objects.filter(status="failed").count() == 2
