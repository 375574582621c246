"""Geometry validation shared by forms, the REST API and importers."""

from __future__ import annotations

import json

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.utils.translation import gettext as _

LON_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)


def geometry_error(geom: GEOSGeometry | None) -> str | None:
    """A French message saying what is wrong with a lon/lat geometry, or None when it is fine.

    Refuses empty geometries, coordinates outside the lon/lat range (often swapped or
    projected coordinates) and invalid ones (self-intersections…), naming GEOS's reason.
    """
    if geom is None:
        return None
    if geom.empty:
        return _("La géométrie est vide.")
    if geom.srid not in (None, 4326):
        geom = geom.transform(4326, clone=True)
    min_x, min_y, max_x, max_y = geom.extent
    if min_x < LON_RANGE[0] or max_x > LON_RANGE[1] or min_y < LAT_RANGE[0] or max_y > LAT_RANGE[1]:
        return _(
            "Coordonnées hors des limites longitude/latitude (EPSG:4326) : "
            "longitude entre -180 et 180, latitude entre -90 et 90."
        )
    if not geom.valid:
        return _("Géométrie invalide : %(reason)s.") % {"reason": geom.valid_reason}
    return None


def drawn_area(value: object) -> MultiPolygon:
    """An area drawn on a map (a group's territory, a form's accepted area): a GeoJSON
    Polygon or MultiPolygon in lon/lat, given as an object or its text. Raises ``ValueError``
    with a French message saying what is wrong (not JSON, another type, or what
    :func:`geometry_error` finds)."""
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        geom = GEOSGeometry(text, srid=4326)
    except (TypeError, ValueError, GEOSException, GDALException):
        raise ValueError(_("La zone dessinée n'est pas une géométrie GeoJSON lisible.")) from None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(
            _("La zone dessinée doit être un polygone (reçu : %(type)s).")
            % {"type": geom.geom_type}
        )
    error = geometry_error(geom)
    if error:
        raise ValueError(error)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)


def extent_error(extent: list[float]) -> str:
    """What is wrong with an extent (west, south, east, north, in degrees), or ``""``: a
    coordinate outside the lon/lat range, or edges in the wrong order. Maps' initial extents
    and carnets' map blocks check theirs with it."""
    west, south, east, north = extent
    received = ", ".join(f"{v:g}" for v in extent)
    lon, lat = LON_RANGE, LAT_RANGE
    if not (
        lon[0] <= west <= lon[1]
        and lon[0] <= east <= lon[1]
        and lat[0] <= south <= lat[1]
        and lat[0] <= north <= lat[1]
    ):
        return _(
            "L'emprise sort des limites : longitudes de -180 à 180, latitudes de -90 à 90 "
            "(reçu : %(extent)s)."
        ) % {"extent": received}
    if not (west < east and south < north):
        return _(
            "L'emprise s'écrit ouest, sud, est, nord : l'ouest doit précéder l'est et le sud le "
            "nord (reçu : %(extent)s)."
        ) % {"extent": received}
    return ""
