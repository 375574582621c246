"""The download formats: one registry, one writer per format.

GeoJSON and CSV are streamed row by row from PostGIS (constant memory, any size); GeoPackage,
Shapefile (zipped) and KML are written by GDAL through pyogrio into a temporary file.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas
import pyogrio
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .services import columns, flat, geojson_features, rows


@dataclass(frozen=True)
class ExportRequest:
    queryset: QuerySet
    base_url: str
    name: str
    srid: int = 4326


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media_type: str
    streamed: bool
    writer: Callable[[ExportRequest], Iterable[bytes] | bytes]
    #: Formats that can be written in Lambert-93 as well as WGS 84.
    crs_choice: bool = False


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def _geojson(req: ExportRequest) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":[\n'
    separator = ""
    buffer: list[str] = []
    for feature in geojson_features(req.queryset, req.base_url):
        buffer.append(separator + feature)
        separator = ",\n"
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer.clear()
    yield ("".join(buffer) + "]}\n").encode()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(req: ExportRequest) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()  # BOM: spreadsheet software then reads UTF-8 accents right
    names = columns()
    yield writer.writerow([*names, "geometrie"]).encode()
    for row in rows(req.queryset, req.base_url, geometry="wkt"):
        values = flat(row.properties)
        yield writer.writerow([*(values[c] for c in names), row.geometry or ""]).encode()


def _frame(req: ExportRequest) -> geopandas.GeoDataFrame:
    records, geometries = [], []
    for row in rows(req.queryset, req.base_url, geometry="wkb", srid=req.srid):
        records.append(flat(row.properties))
        geometries.append(row.geometry)
    return geopandas.GeoDataFrame(
        records or None,
        columns=columns(),
        geometry=geopandas.GeoSeries.from_wkb(geometries, crs=req.srid),
    )


def _write_file(req: ExportRequest, driver: str, suffix: str) -> bytes:
    frame = _frame(req)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{req.name}{suffix}"
        options = {"geometry_type": "Unknown"} if driver == "GPKG" else {}
        pyogrio.write_dataframe(frame, path, driver=driver, layer=req.name, **options)
        return path.read_bytes()


#: Shapefile holds one geometry type per file: points, lines and polygons go to three files.
_SHAPE_FAMILIES = {
    "points": ("Point", "MultiPoint"),
    "lignes": ("LineString", "MultiLineString"),
    "polygones": ("Polygon", "MultiPolygon"),
}


def _shapefile_zip(req: ExportRequest) -> bytes:
    frame = _frame(req)
    buffer = io.BytesIO()
    with (
        tempfile.TemporaryDirectory() as tmp,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        types = frame.geometry.geom_type
        for family, names in _SHAPE_FAMILIES.items():
            part = frame[types.isin(names) | (types.isna() & (family == "points"))]
            if part.empty:
                continue
            path = Path(tmp) / f"{req.name}_{family}.shp"
            pyogrio.write_dataframe(
                part,
                path,
                driver="ESRI Shapefile",
                encoding="UTF-8",
                promote_to_multi=family != "points",
            )
            for written in sorted(Path(tmp).glob(f"{req.name}_{family}.*")):
                archive.write(written, written.name)
    return buffer.getvalue()


register(Format("geojson", _("GeoJSON"), "application/geo+json", True, _geojson))
register(Format("csv", _("CSV (tableur)"), "text/csv; charset=utf-8", True, _csv))
register(
    Format(
        "gpkg",
        _("GeoPackage"),
        "application/geopackage+sqlite3",
        False,
        lambda req: _write_file(req, "GPKG", ".gpkg"),
        crs_choice=True,
    )
)
register(
    Format(
        "shp.zip", _("Shapefile (zip)"), "application/zip", False, _shapefile_zip, crs_choice=True
    )
)
register(
    Format(
        "kml",
        _("KML"),
        "application/vnd.google-earth.kml+xml",
        False,
        lambda req: _write_file(req, "KML", ".kml"),
    )
)
