"""Column mappings: one format for ``--map`` and JSON, known vocabularies mapped by themselves,
a title composed when a file has none, the Toulouse Inventaire as a Lambert-93 GeoPackage."""

import csv
import json

import geopandas as gpd
import pyogrio
import pytest
from django.core.management.base import CommandError
from shapely.geometry import Point

from importers.mapping import ColumnMapping, MappingError, suggest_mapping
from importers.models import ImportIssue, ImportJob
from observatoire.models import Resource

from .conftest import MERIMEE_FILES, run_command

TOULOUSE_COLUMNS = list(pyogrio.read_info(MERIMEE_FILES["toulouse"])["fields"])


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["chpTICO"], {"title": "chpTICO"}),
        (["tico"], {"title": "tico"}),
        (["TICO"], {"title": "TICO"}),
        (["titre"], {"title": "titre"}),
        (["Nom"], {"title": "Nom"}),
        (["name"], {"title": "name"}),
        (["Libellé"], {"title": "Libellé"}),
        (["Appellation courante"], {"title": "Appellation courante"}),  # Mérimée 2022 label
        (["o:title", "dcterms:title"], {"title": "dcterms:title"}),  # Omeka S: the better one
        (["200$a"], {"title": "200$a"}),  # Archirès (UNIMARC title)
        (["REF", "TICO"], {"source_id": "REF", "title": "TICO"}),
        (["koha:biblionumber", "o:id"], {"source_id": "koha:biblionumber"}),
        (
            ["chpdeno", "chpcom"],
            {"attributes.denomination": "chpdeno", "attributes.commune": "chpcom"},
        ),
        (["chphist", "chpdesc"], {"description": "chpdesc"}),  # DESC first, HIST stays
        (["HIST"], {"description": "HIST"}),
        (["INSEE"], {"commune_insee": "INSEE"}),
        (
            ["Code INSEE", "commune"],
            {"commune_insee": "Code INSEE", "attributes.commune": "commune"},
        ),
        (["SCLE"], {"attributes.epoque": "SCLE"}),
        (["date", "date_fin"], {"date_start": "date", "date_end": "date_fin"}),
        (["chpdate"], {}),  # POP DATE: years of construction, not a date
        (["TICO", "DATE"], {"title": "TICO"}),  # …even without the chp prefix
        (
            ["dcterms:subject", "description"],
            {"themes": "dcterms:subject", "description": "description"},
        ),
        (["geometrie", "surface", "nomenclature"], {}),
    ],
)
def test_suggestions(columns, expected):
    """Column names of the known vocabularies suggest their target, whatever their case, accents
    or ``chp`` prefix; a target takes one column, a column one target."""
    assert suggest_mapping(columns).targets == expected


def test_toulouse_columns_suggest_a_whole_mapping():
    """The Toulouse Inventaire's ``chp`` columns map title, description, commune and the
    attributes the Mérimée importer also writes; the others stay attributes as they are."""
    assert suggest_mapping(TOULOUSE_COLUMNS).targets == {
        "title": "chptico",
        "description": "chphist",
        "commune_insee": "chpinsee",
        "attributes.denomination": "chpdeno",
        "attributes.commune": "chpcom",
        "attributes.adresse": "chpadrs",
        "attributes.epoque": "chpscle",
        "attributes.auteurs": "chpautr",
    }


def test_explicit_mapping_wins_over_suggestions():
    """A given target keeps its column; a given or ignored column is suggested for nothing."""
    given = ColumnMapping.parse(["title=chpdeno", "ignore=chpinsee"])
    mapping = given.complete(suggest_mapping(TOULOUSE_COLUMNS))
    assert mapping.targets["title"] == "chpdeno"
    assert "chptico" not in mapping.targets.values()
    assert "attributes.denomination" not in mapping.targets  # its column is the title
    assert "commune_insee" not in mapping.targets and mapping.ignored == {"chpinsee"}


def test_json_round_trip():
    """The ``--map`` items and the JSON form are the same mapping, both ways."""
    mapping = ColumnMapping.parse(
        ["title=chptico", "attributes.epoque=chpscle", "ignore=chpuser", "ignore=chpzone"]
    )
    as_json = mapping.to_json()
    assert as_json == {
        "title": "chptico",
        "attributes.epoque": "chpscle",
        "ignore": ["chpuser", "chpzone"],
    }
    assert ColumnMapping.from_json(json.dumps(as_json)) == mapping
    assert ColumnMapping.from_json(as_json) == mapping
    suggested = suggest_mapping(TOULOUSE_COLUMNS)
    assert ColumnMapping.from_json(json.dumps(suggested.to_json())) == suggested


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["titel=nom"], "Cible inconnue « titel » pour la colonne « nom »"),
        (["architecte=archi"], "Cible inconnue « architecte »"),
        (["attributes.=archi"], "Cible inconnue « attributes. »"),
        (["title"], "Association illisible « title » : attendu CIBLE=COLONNE"),
        (["title=a", "title=b"], "Cible « title » associée deux fois"),
        (["title=a", "ignore=a"], "à la fois associée"),
    ],
)
def test_bad_mapping_items_are_named(items, message):
    with pytest.raises(MappingError, match=message):
        ColumnMapping.parse(items)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"titre": "nom"}', "Cible inconnue « titre »"),
        ('{"title": 3}', "Cible « title » : un nom de colonne est attendu"),
        ('{"ignore": "a"}', "« ignore » attend une liste"),
        ('["title"]', "un objet JSON"),
        ("{title", "Correspondance illisible"),
    ],
)
def test_bad_json_mappings_are_named(data, message):
    with pytest.raises(MappingError, match=message):
        ColumnMapping.from_json(data)


def test_values_as_targets_need_them():
    """Themes split on ``;``, empty dates left out, an INSEE code read as a number gets its
    leading zero back, a malformed one is warned about and kept under its column."""
    mapping = ColumnMapping({"title": "t", "themes": "k", "date_start": "d", "commune_insee": "i"})
    mapped = mapping.apply({"t": " Halle ", "k": "marché ; fer", "d": None, "i": 1001}, 7)
    assert mapped.source_id == "7"
    assert mapped.fields == {
        "title": "Halle",
        "themes": ["marché", "fer"],
        "attributes": {"commune_insee": "01001"},
    }
    mapped = mapping.apply({"t": "Halle", "k": None, "d": "2020-05-01", "i": "IA311"}, 8)
    assert mapped.fields["date_start"] == "2020-05-01"
    assert mapped.fields["attributes"] == {"i": "IA311"}
    assert [field for field, _message in mapped.warnings] == ["i"]


def _import_geodata(path, *args):
    return run_command(
        "import_geodata", str(path), "--group", "patrimoine", "--kind", "marqueur", *args
    )


@pytest.mark.django_db
def test_file_without_title_column_gets_composed_titles(heritage, tmp_path):
    """No title-like column: « Dénomination — Commune », else « Sans titre (ligne N) », and
    the report says so; a later ``--map title=…`` wins and updates the same rows."""
    path = tmp_path / "sans-titre.gpkg"
    gpd.GeoDataFrame(
        {
            "chpdeno": ["maison", "église", None],
            "chpcom": ["Toulouse", "Muret", None],
            "chpuser": ["a", "b", "c"],
        },
        geometry=[Point(1.44, 43.60), Point(1.33, 43.46), Point(1.40, 43.50)],
        crs="EPSG:4326",
    ).to_crs("EPSG:2154").to_file(path, driver="GPKG")
    counts, report = _import_geodata(path)
    assert counts["created"] == 3 and counts["rejected"] == 0
    titles = dict(Resource.objects.values_list("source_id", "title"))
    assert titles == {"1": "Maison — Toulouse", "2": "Église — Muret", "3": "Sans titre (ligne 3)"}
    with open(report, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert any(
        r["champ"] == "title" and r["message"].startswith("Aucune colonne de titre : titre composé")
        for r in rows
    )
    counts, _ = _import_geodata(path, "--map", "title=chpuser")
    assert counts["updated"] == 3 and counts["created"] == 0
    assert set(Resource.objects.values_list("title", flat=True)) == {"a", "b", "c"}


@pytest.mark.django_db
def test_bad_target_on_the_command_line_writes_nothing(heritage, tmp_path):
    with pytest.raises(CommandError, match="Cible inconnue « titel » pour la colonne « chptico »"):
        _import_geodata(MERIMEE_FILES["toulouse"], "--map", "titel=chptico")
    assert not Resource.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_toulouse_lambert93_geopackage_imports_without_map(heritage, tmp_path):
    """The Toulouse Inventaire (3,174 points) as a Lambert-93 GeoPackage, with no ``--map``:
    every row is created with its POP columns recognised, and lands where the GeoJSON says."""
    source = pyogrio.read_dataframe(MERIMEE_FILES["toulouse"])
    path = tmp_path / "toulouse.gpkg"
    pyogrio.write_dataframe(source.to_crs(epsg=2154), path, driver="GPKG")
    assert pyogrio.read_info(path)["crs"] == "EPSG:2154"
    counts, _ = _import_geodata(path)
    assert counts["read"] == counts["created"] == 3174 and counts["rejected"] == 0
    recognised = ImportIssue.objects.get(message__startswith="Colonnes reconnues")
    assert "chptico → title" in recognised.message
    first = Resource.objects.get(source_id="1")
    assert first.base == "observatoire" and first.title == source.chptico[0]
    assert first.description == source.chphist[0]
    assert first.attributes["commune_insee"] == "31555"
    assert first.attributes["epoque"] == source.chpscle[0]
    positions = {
        int(r.source_id): (r.geom.x, r.geom.y) for r in Resource.objects.only("source_id", "geom")
    }
    assert len(positions) == 3174
    worst = max(
        max(abs(positions[n][0] - p.x), abs(positions[n][1] - p.y))
        for n, p in enumerate(source.geometry, start=1)
    )
    assert worst < 1e-7  # degrees: about a centimetre
