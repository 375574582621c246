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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.translation import gettext as _

from geo.crs import UnknownCRS, area_bounds, area_name, crs_name, crs_of
from geo.territories import CommuneIndex
from geo.validation import geometry_error

from ..base import Mapped, Record, RowError, Source
from ..files import ImportFileError, max_bytes
from ..mapping import COMMUNE_INSEE, ColumnMapping, suggest_mapping

#: Keys of a record's data that are no column: its lon/lat WKB, why its geometry is refused.
GEOMETRY, PROBLEM = "__geometry__", "__problem__"

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


#: Geometry types that may share a layer (a multi-part geometry is of its parts' family).
FAMILIES = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
#: Sample values shown per column before mapping.
SAMPLES = 3


@dataclass
class Layout:
    """What a file holds, shown before its columns are mapped."""

    layers: list[str]
    layer: str
    srid: int | None
    geometry_type: str | None
    count: int
    columns: list[str]
    samples: dict[str, list[Any]] = field(default_factory=dict)


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
        complete: bool = True,
    ) -> None:
        """``complete``: add the mapping the column names suggest to the given one (the
        command's ``--map``); False when the mapping is already whole (chosen column by
        column on the web page, or a saved profile), so that it runs as it was previewed."""
        super().__init__(path)
        self.base, self.kind = base, kind
        self.layer, self.srid = layer, srid
        self.mapping = mapping or ColumnMapping()
        self.complete = complete
        self.name = (source_name or f"fichier:{self.path.stem}")[:32]
        self.encoding: str | None = None

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

    def _is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"

    def _read(self, max_features: int | None = None) -> tuple[Any, list[str]]:
        """(data frame of the layer, layer names); a CSV that is not UTF-8 is read again as
        Windows-1252 (Latin-1 exports of Excel and of the Mérimée base)."""
        import pyogrio

        dataset = self._dataset()
        options = CSV_OPEN_OPTIONS if self._is_csv() else {}
        try:
            layers = [name for name, _geom in pyogrio.list_layers(dataset)]
            if self.layer and self.layer not in layers:
                raise ImportFileError(
                    _("« %(file)s » : couche « %(layer)s » absente (couches : %(layers)s).")
                    % {"file": self.path.name, "layer": self.layer, "layers": ", ".join(layers)}
                )
            read = partial(
                pyogrio.read_dataframe, dataset, layer=self.layer, max_features=max_features
            )
            try:
                frame = read(encoding=self.encoding, **options)
            except UnicodeDecodeError:
                if not self._is_csv():
                    raise
                self.encoding = "cp1252"
                frame = read(encoding=self.encoding, **options)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(
                _("« %(file)s » : fichier géographique illisible (%(err)s).")
                % {"file": self.path.name, "err": exc}
            ) from exc
        return frame, layers

    def inspect(self) -> Layout:
        """Layers, CRS, row count, columns and a few values of each, read from the head of
        the file (the whole of it is read only to count a CSV's rows)."""
        import pyogrio

        frame, layers = self._read(max_features=SAMPLES)
        try:
            info = pyogrio.read_info(
                self._dataset(), layer=self.layer, encoding=self.encoding, force_feature_count=True
            )
        except Exception as exc:
            raise ImportFileError(
                _("« %(file)s » : fichier géographique illisible (%(err)s).")
                % {"file": self.path.name, "err": exc}
            ) from exc
        crs = getattr(frame, "crs", None)
        columns = [c for c in frame.columns if c != "geometry"]
        return Layout(
            layers=layers,
            layer=self.layer or info["layer_name"],
            srid=crs.to_epsg() if crs is not None else None,
            geometry_type=info["geometry_type"],
            count=max(info["features"], 0),
            columns=columns,
            samples={c: [_plain(v) for v in frame[c]] for c in columns},
        )

    def records(self) -> Iterator[Record]:
        frame, layers = self._read()
        if len(layers) > 1 and not self.layer:
            self.file_warning(
                _("Plusieurs couches (%(layers)s) : lecture de la première ; précisez --layer.")
                % {"layers": ", ".join(layers)}
            )
        if self.encoding:
            self.file_warning(_("Fichier non UTF-8 : lu en Latin-1 (Windows-1252)."))
        if frame.empty:
            raise ImportFileError(
                _("« %(file)s » : le fichier ne contient aucun objet.") % {"file": self.path.name}
            )
        columns = [c for c in frame.columns if c != "geometry"]
        missing = sorted(self.mapping.columns() - set(columns))
        if missing:
            raise ImportFileError(
                _("« %(file)s » : colonne(s) absente(s) : %(cols)s (colonnes : %(all)s).")
                % {"file": self.path.name, "cols": ", ".join(missing), "all": ", ".join(columns)}
            )
        if self.complete:
            self._complete_mapping(columns)
        else:
            self._report_mapping()
        geometries, problems = self._geometries(frame)
        for number, (values, geom, problem) in enumerate(
            zip(frame[columns].itertuples(index=False), geometries, problems, strict=True),
            start=1,
        ):
            data = {c: _plain(v) for c, v in zip(columns, values, strict=True)}
            data[GEOMETRY] = None if geom is None or geom.is_empty else geom.wkb
            data[PROBLEM] = problem
            yield Record(number, data)

    def _geometries(self, frame: Any) -> tuple[list[Any], list[str | None]]:
        """The lon/lat geometries of the rows and, per row, why its geometry is refused:
        outside the declared CRS's area, or of another type than the layer's.

        Most rows outside the area mean the whole file is declared in the wrong CRS: it is
        refused, naming the first row, so that nothing is written at a wrong place."""
        if "geometry" not in getattr(frame, "columns", ()) or not hasattr(frame, "crs"):
            return [None] * len(frame), [None] * len(frame)
        if self.srid:
            try:
                frame = frame.set_crs(crs_of(self.srid), allow_override=True)
            except UnknownCRS as exc:
                raise ImportFileError(exc.message) from None
        elif frame.crs is None:
            self.file_warning(_("Système de coordonnées absent : EPSG:4326 supposé."))
            frame = frame.set_crs(epsg=4326)
        srid = frame.crs.to_epsg() or 4326
        problems: list[str | None] = [None] * len(frame)
        present = frame.geometry.notna() & ~frame.geometry.is_empty
        bounds = area_bounds(srid) if frame.crs.to_epsg() else None
        if bounds is not None:
            box = frame.geometry.bounds
            inside = (
                (box.minx >= bounds[0])
                & (box.miny >= bounds[1])
                & (box.maxx <= bounds[2])
                & (box.maxy <= bounds[3])
            )
            outside = [i for i, bad in enumerate((present & ~inside).tolist()) if bad]
            if outside and 2 * len(outside) > int(present.sum()):
                first = frame.geometry.iloc[outside[0]]
                raise ImportFileError(
                    _(
                        "« %(file)s », ligne %(row)s, colonne « geometry » : coordonnées "
                        "(%(x).6g, %(y).6g) hors de la zone de %(crs)s (%(area)s) — %(n)s "
                        "lignes sur %(total)s. Le système de coordonnées déclaré est sans doute "
                        "erroné : choisissez celui du fichier."
                    )
                    % {
                        "file": self.path.name,
                        "row": outside[0] + 1,
                        "x": first.representative_point().x,
                        "y": first.representative_point().y,
                        "crs": crs_name(srid),
                        "area": area_name(srid),
                        "n": len(outside),
                        "total": int(present.sum()),
                    }
                )
            for i in outside:
                problems[i] = _(
                    "Coordonnées hors de la zone de %(crs)s (%(area)s) : ligne rejetée."
                ) % {"crs": crs_name(srid), "area": area_name(srid)}
        types = frame.geometry.geom_type.map(lambda t: FAMILIES.get(t, t))
        families = Counter(types[present])
        if len(families) > 1:
            # the most frequent type is the layer's; on a tie, the first row's
            main = max(families, key=families.__getitem__)
            for i, (family, here) in enumerate(zip(types, present, strict=True)):
                if here and family != main and problems[i] is None:
                    problems[i] = _(
                        "Géométrie de type %(type)s dans une couche de type %(main)s (%(n)s "
                        "lignes) : un import ne mélange pas les types ; séparez-les (un fichier "
                        "ou une couche par type). Ligne rejetée."
                    ) % {"type": family, "main": main, "n": families[main]}
        if srid != 4326:
            frame = frame.to_crs(epsg=4326)
        return list(frame.geometry), problems

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
        self._report_mapping()

    def _report_mapping(self) -> None:
        """Say in the report which keys and titles the rows get without a mapped column."""
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
                _(
                    "Aucune colonne d'identifiant (cible source_id) : le numéro de ligne en "
                    "tient lieu, une réimportation doit garder l'ordre des lignes."
                )
            )

    def map(self, record: Record) -> Mapped:
        data = dict(record.data)
        wkb, problem = data.pop(GEOMETRY), data.pop(PROBLEM)
        if problem:
            raise RowError("geometry", problem)
        mapped = self.mapping.apply(data, record.row)
        mapped.fields["geom"] = (
            self._geometry(wkb, mapped) if wkb is not None else self._commune_point(mapped)
        )
        return mapped

    @cached_property
    def _communes(self) -> CommuneIndex:
        return CommuneIndex()

    def _commune_point(self, mapped: Mapped) -> Point | None:
        """A row without geometry but with its commune's code is placed at the commune (its
        town hall), as the Mérimée importer places monuments; the report says so."""
        code = mapped.fields.get("attributes", {}).get(COMMUNE_INSEE)
        point = self._communes.points.get(code) if code else None
        if point is None:
            return None
        mapped.warn(
            "geometry",
            _("Pas de géométrie : placée au point de la commune %(insee)s.") % {"insee": code},
        )
        return Point(*point, srid=4326)

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
