"""Any geodata file GDAL reads: GeoPackage (layer choice), zipped Shapefile, GeoJSON,
FlatGeobuf, KML, CSV with lon/lat or WKT columns.

Read with pyogrio, reprojected to EPSG:4326 with pyproj; columns are mapped onto resource
fields or per-kind attributes by a ``ColumnMapping`` (``--map target=column``), completed by
the one their names suggest; unmapped columns are kept in the attributes. Invalid geometries
are repaired with GEOS ``MakeValid`` when the repair keeps the geometry's dimension, otherwise
the row is rejected.

pyogrio and pandas (0.3 s to import) load with the first file read: every command and worker
imports this module at start (procrastinate discovers ``importers.tasks``), few read geodata.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from geo.validation import geometry_error

from ..base import Mapped, Record, RowError, Source
from ..files import ImportFileError, max_bytes
from ..mapping import ColumnMapping, suggest_mapping

CSV_OPEN_OPTIONS = {
    "X_POSSIBLE_NAMES": "lon,lng,longitude,x",
    "Y_POSSIBLE_NAMES": "lat,latitude,y",
    "GEOM_POSSIBLE_NAMES": "wkt,geom,geometry,the_geom",
    "KEEP_GEOM_COLUMNS": "NO",
    "AUTODETECT_TYPE": "YES",
}


def _plain(value: Any) -> Any:
    """A JSON-friendly value, or None for missing ones."""
    from pandas import NaT

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is NaT:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10] if isinstance(value, date) else value.isoformat()
    if getattr(value, "ndim", 0) > 0:  # numpy arrays: JSON lists of a GeoJSON property
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class GeodataSource(Source):
    suffixes = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".kml", ".csv")

    def __init__(
        self,
        path,
        *,
        base: str,
        kind: str,
        layer: str | None = None,
        mapping: ColumnMapping | None = None,
        srid: int | None = None,
        source_name: str | None = None,
    ) -> None:
        super().__init__(path)
        self.base, self.kind = base, kind
        self.layer, self.srid = layer, srid
        self.mapping = mapping or ColumnMapping()
        self.name = (source_name or f"fichier:{self.path.stem}")[:32]

    def _dataset(self) -> str:
        if zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as archive:
                if sum(m.file_size for m in archive.infolist()) > max_bytes():
                    raise ImportFileError(_("Archive trop volumineuse une fois décompressée."))
            return f"/vsizip/{self.path}"
        if not self.path.is_file():
            raise ImportFileError(_("Fichier introuvable : %(name)s.") % {"name": self.path.name})
        if self.path.stat().st_size > max_bytes():
            raise ImportFileError(_("Fichier trop volumineux."))
        return str(self.path)

    def records(self) -> Iterator[Record]:
        import pyogrio

        dataset = self._dataset()
        options = CSV_OPEN_OPTIONS if self.path.suffix.lower() == ".csv" else {}
        try:
            layers = [name for name, _geom in pyogrio.list_layers(dataset)]
            if self.layer and self.layer not in layers:
                raise ImportFileError(
                    _("Couche « %(layer)s » absente (couches : %(layers)s).")
                    % {"layer": self.layer, "layers": ", ".join(layers)}
                )
            frame = pyogrio.read_dataframe(dataset, layer=self.layer, **options)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(
                _("Fichier géographique illisible : %(err)s.") % {"err": exc}
            ) from exc
        if len(layers) > 1 and not self.layer:
            self.file_warning(
                _("Plusieurs couches (%(layers)s) : lecture de la première ; précisez --layer.")
                % {"layers": ", ".join(layers)}
            )
        if frame.empty:
            raise ImportFileError(_("Le fichier ne contient aucun objet."))
        if self.srid:
            frame = frame.set_crs(epsg=self.srid, allow_override=True)
        elif frame.crs is None:
            self.file_warning(_("Système de coordonnées absent : EPSG:4326 supposé."))
            frame = frame.set_crs(epsg=4326)
        if frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(epsg=4326)
        columns = [c for c in frame.columns if c != "geometry"]
        missing = sorted(self.mapping.columns() - set(columns))
        if missing:
            raise ImportFileError(
                _("Colonne(s) absente(s) : %(cols)s (colonnes : %(all)s).")
                % {"cols": ", ".join(missing), "all": ", ".join(columns)}
            )
        self._complete_mapping(columns)
        for number, (values, geom) in enumerate(
            zip(frame[columns].itertuples(index=False), frame.geometry, strict=True), start=1
        ):
            data = {c: _plain(v) for c, v in zip(columns, values, strict=True)}
            data["__geometry__"] = None if geom is None or geom.is_empty else geom.wkb
            yield Record(number, data)

    def _complete_mapping(self, columns: list[str]) -> None:
        """Complete the given mapping with the one the column names suggest, and say in the
        report what was recognised and what is missing."""
        given = self.mapping
        self.mapping = given.complete(suggest_mapping(columns))
        recognised = [(t, c) for t, c in self.mapping.targets.items() if t not in given.targets]
        if recognised:
            self.file_warning(
                _("Colonnes reconnues : %(pairs)s (--map CIBLE=COLONNE les remplace).")
                % {"pairs": ", ".join(f"{c} → {t}" for t, c in recognised)}
            )
        if "title" not in self.mapping.targets:
            self.file_warning(
                _(
                    "Aucune colonne de titre : titre composé de la dénomination et de la commune "
                    "(« Maison — Toulouse »), sinon « Sans titre (ligne N) » ; précisez "
                    "--map title=COLONNE."
                ),
                "title",
            )
        if "source_id" not in self.mapping.targets:
            self.file_warning(
                _("Aucun identifiant (--map source_id=COLONNE) : le numéro de ligne en tient lieu.")
            )

    def map(self, record: Record) -> Mapped:
        data = dict(record.data)
        wkb = data.pop("__geometry__")
        mapped = self.mapping.apply(data, record.row)
        mapped.fields["geom"] = self._geometry(wkb, mapped)
        return mapped

    def _geometry(self, wkb: bytes | None, mapped: Mapped) -> GEOSGeometry | None:
        if wkb is None:
            return None
        geom = GEOSGeometry(memoryview(wkb), srid=4326)
        if geom.valid:
            return geom
        repaired = geom.make_valid()
        if repaired.dims == geom.dims and not repaired.empty:
            mapped.warn(
                "geom",
                _("Géométrie invalide réparée (%(reason)s).") % {"reason": geom.valid_reason},
            )
            return repaired
        raise RowError("geom", geometry_error(geom) or _("Géométrie invalide."))
