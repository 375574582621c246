"""Generic geodata import: files made with GDAL at test time, reprojected, mapped, upserted."""

import zipfile

import geopandas as gpd
import pytest
from django.core.management.base import CommandError
from shapely.geometry import Point, Polygon

from importers.models import ImportIssue
from observatoire.models import Resource

from .conftest import MERIMEE_FILES, run_command

pytestmark = pytest.mark.django_db

LILLE = (3.0573, 50.6292)
ROUBAIX = (3.1746, 50.6942)


def frame(crs="EPSG:4326"):
    """Two réalisations around Lille, with an id, a name, a date, an architect, an extra column."""
    data = gpd.GeoDataFrame(
        {
            "ident": ["R1", "R2"],
            "nom": ["Médiathèque", "Gare"],
            "livraison": ["2019-06-01", "2021-01-15"],
            "archi": ["Agence A", "Agence B"],
            "surface": [1200.5, 300.0],
        },
        geometry=[Point(*LILLE), Point(*ROUBAIX)],
        crs="EPSG:4326",
    )
    return data.to_crs(crs)


#: The columns of `frame` mapped to fields and attributes.
MAPS = ("source_id=ident", "title=nom", "date_start=livraison", "attributes.architecte=archi")


def geodata(path, *args, kind="realisation", maps=MAPS):
    """``import_geodata`` of `path` into the patrimoine group's observatoire."""
    return run_command(
        "import_geodata",
        str(path),
        "--group",
        "patrimoine",
        "--base",
        "observatoire",
        "--kind",
        kind,
        *(arg for mapping in maps for arg in ("--map", mapping)),
        *args,
    )


def check_imported(counts):
    assert counts["read"] == 2 and counts["created"] == 2 and counts["rejected"] == 0
    mediatheque = Resource.objects.get(source_id="R1")
    assert mediatheque.title == "Médiathèque" and mediatheque.kind == "realisation"
    assert str(mediatheque.date_start) == "2019-06-01"
    assert mediatheque.attributes["architecte"] == "Agence A"
    assert mediatheque.attributes["surface"] == 1200.5  # unmapped column kept
    assert mediatheque.geom.x == pytest.approx(LILLE[0], abs=1e-6)
    assert mediatheque.geom.y == pytest.approx(LILLE[1], abs=1e-6)
    assert mediatheque.level == "groupe"


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [
        (".gpkg", "GPKG", "EPSG:2154"),
        (".geojson", "GeoJSON", "EPSG:4326"),
        (".fgb", "FlatGeobuf", "EPSG:3857"),
    ],
)
def test_formats_are_read_and_reprojected(heritage, tmp_path, suffix, driver, crs):
    """GeoPackage (Lambert-93), GeoJSON and FlatGeobuf (Web Mercator) land in EPSG:4326."""
    path = tmp_path / f"realisations{suffix}"
    frame(crs).to_file(path, driver=driver)
    check_imported(geodata(path)[0])


def test_zipped_shapefile(heritage, tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame("EPSG:2154").to_file(shp_dir / "realisations.shp")
    archive = tmp_path / "realisations.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    check_imported(geodata(archive)[0])


def test_csv_with_lon_lat_or_wkt(heritage, tmp_path):
    lonlat = tmp_path / "lonlat.csv"
    lonlat.write_text(
        "ident,nom,livraison,archi,surface,lon,lat\n"
        f"R1,Médiathèque,2019-06-01,Agence A,1200.5,{LILLE[0]},{LILLE[1]}\n"
        f"R2,Gare,2021-01-15,Agence B,300.0,{ROUBAIX[0]},{ROUBAIX[1]}\n",
        encoding="utf-8",
    )
    check_imported(geodata(lonlat)[0])
    wkt = tmp_path / "wkt.csv"
    wkt.write_text(
        "ident,nom,livraison,archi,surface,wkt\n"
        f'R1,Médiathèque,2019-06-01,Agence A,1200.5,"POINT ({LILLE[0]} {LILLE[1]})"\n'
        f'R2,Gare,2021-01-15,Agence B,300.0,"POINT ({ROUBAIX[0]} {ROUBAIX[1]})"\n',
        encoding="utf-8",
    )
    counts, _ = geodata(wkt, "--source", "fichier:lonlat")
    assert counts["unchanged"] == 2 and counts["created"] == 0  # same rows, same source


def test_kml(heritage, tmp_path):
    path = tmp_path / "realisations.kml"
    frame().to_file(path, driver="KML")
    counts, _ = geodata(path, maps=("title=nom", "source_id=ident"))
    assert counts["created"] == 2
    gare = Resource.objects.get(source_id="R2", title="Gare")
    assert "timestamp" not in gare.attributes  # empty KML columns are not kept


def test_geopackage_layer_choice_and_reimport(heritage, tmp_path):
    """``--layer`` picks a layer; re-importing creates nothing; a changed row is updated."""
    path = tmp_path / "two.gpkg"
    frame().to_file(path, layer="realisations", driver="GPKG")
    other = frame()
    other["nom"] = ["Autre", "Autre"]
    other.to_file(path, layer="autres", driver="GPKG")
    counts, _ = geodata(path, "--layer", "autres")
    assert counts["created"] == 2 and Resource.objects.filter(title="Autre").count() == 2
    counts, _ = geodata(path, "--layer", "realisations")
    assert counts["updated"] == 2 and counts["created"] == 0
    counts, _ = geodata(path, "--layer", "realisations")
    assert counts["unchanged"] == 2
    with pytest.raises(CommandError, match=r"« two\.gpkg » : couche « nope » absente"):
        geodata(path, "--layer", "nope")


def test_invalid_geometries_repaired_or_rejected_and_bad_values(heritage, tmp_path):
    """A bow-tie polygon is repaired with MakeValid (warning); a missing geometry outside
    the médiathèque and an unreadable date reject their row; nothing else is affected."""
    bowtie = Polygon([(3.0, 50.0), (3.1, 50.1), (3.1, 50.0), (3.0, 50.1), (3.0, 50.0)])
    data = gpd.GeoDataFrame(
        {
            "ident": ["A", "B", "C"],
            "nom": ["Papillon", "Sans lieu", "Date"],
            "livraison": ["2020-01-01", "2020-01-01", "pas une date"],
            "archi": ["x", "y", "z"],
        },
        geometry=[bowtie, None, Point(*LILLE).buffer(0.001)],  # polygons: one type per import
        crs="EPSG:4326",
    )
    path = tmp_path / "dirty.geojson"
    data.to_file(path, driver="GeoJSON")
    counts, _ = geodata(path)
    assert counts["created"] == 1 and counts["rejected"] == 2 and counts["warnings"] >= 1
    repaired = Resource.objects.get(source_id="A")
    assert repaired.geom.valid and repaired.geom.geom_type == "MultiPolygon"
    fields = set(ImportIssue.objects.filter(level="erreur").values_list("source_id", "field"))
    assert fields == {("B", "geom"), ("C", "date_start")}


def test_missing_column_and_unreadable_file(heritage, tmp_path):
    path = tmp_path / "realisations.geojson"
    frame().to_file(path, driver="GeoJSON")
    with pytest.raises(CommandError, match=r"« realisations\.geojson » : colonne.*inconnue"):
        geodata(path, "--map", "attributes.programme=inconnue")
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage")
    with pytest.raises(CommandError, match="illisible"):
        geodata(bad)
    assert Resource.objects.count() == 0


def test_real_toulouse_geojson_with_list_properties(heritage):
    """The real Toulouse Inventaire GeoJSON (3,174 points) as a plain geodata file: list
    properties (``geo_point_2d``) are kept as JSON lists, not a crash; every row created.
    Warned: the columns recognised beside the given ones, the missing identifier, and the
    one malformed INSEE code (``IA311``), kept under its column instead of rejecting its row."""
    path = MERIMEE_FILES["toulouse"]
    counts, _ = geodata(
        path,
        "--source",
        "inventaire-toulouse",
        kind="marqueur",
        maps=("title=chptico", "description=chphist"),
    )
    assert counts == dict(
        read=3174, created=3174, updated=0, unchanged=0, rejected=0, warnings=3, conflicts=0
    )
    malformed = Resource.objects.get(attributes__chpinsee="IA311")
    assert "commune_insee" not in malformed.attributes
    assert Resource.objects.filter(attributes__commune_insee="31555").count() == 3173
    sample = Resource.objects.filter(source="inventaire-toulouse").exclude(
        attributes__geo_point_2d=None
    )
    point = sample.first().attributes["geo_point_2d"]
    assert isinstance(point, list) and len(point) == 2
