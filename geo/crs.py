"""Coordinate reference systems of the files people bring: the ones offered first, and
where each one's coordinates may lie (to catch a file declared in the wrong CRS).

A file of Guadeloupe in UTM 20N read as Lambert-93 lands in the Atlantic without any error
from PROJ; comparing its coordinates with the area of use of the declared CRS (from the
EPSG database PROJ ships) says « wrong CRS » before anything is written.
"""

from __future__ import annotations

from functools import cache

from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

#: CRS offered first when a file has none, best first: metropolitan France, then the DROM.
OFFERED_CRS: tuple[tuple[int, str], ...] = (
    (2154, _("Lambert-93 (France métropolitaine)")),
    (5490, _("RGAF09 / UTM 20N (Guadeloupe, Martinique)")),
    (2972, _("RGFG95 / UTM 22N (Guyane)")),
    (2975, _("RGR92 / UTM 40S (La Réunion)")),
    (4471, _("RGM04 / UTM 38S (Mayotte)")),
    (4326, _("WGS 84 longitude/latitude (GPS, GeoJSON)")),
    (3857, _("Web Mercator (cartes en ligne)")),
)
#: Tolerance around an area of use, as a fraction of its size: a point just off the coast
#: or a commune straddling the edge of a UTM zone is not a wrong CRS.
AREA_MARGIN = 0.05


class UnknownCRS(ValueError):
    """An EPSG code PROJ does not know; ``message`` is French."""

    def __init__(self, code: object) -> None:
        self.message = str(_("Code EPSG inconnu : « %(code)s ».") % {"code": code})
        super().__init__(self.message)


@cache
def crs_of(code: int) -> CRS:
    """The CRS of an EPSG code, or ``UnknownCRS``."""
    try:
        return CRS.from_epsg(int(code))
    except (CRSError, TypeError, ValueError):
        raise UnknownCRS(code) from None


def crs_name(code: int) -> str:
    """« EPSG:2154 (RGF93 v1 / Lambert-93) », to name a CRS in a message."""
    return f"EPSG:{code} ({crs_of(code).name})"


@cache
def area_bounds(code: int) -> tuple[float, float, float, float] | None:
    """(min x, min y, max x, max y) of the CRS's area of use in its own coordinates, widened
    by ``AREA_MARGIN``; None when PROJ gives no area (then nothing is checked)."""
    crs = crs_of(code)
    area = crs.area_of_use
    if area is None:
        return None
    to_crs = Transformer.from_crs(4326, crs, always_xy=True)
    x0, y0, x1, y1 = to_crs.transform_bounds(area.west, area.south, area.east, area.north)
    dx, dy = (x1 - x0) * AREA_MARGIN, (y1 - y0) * AREA_MARGIN
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def outside_area(extent: tuple[float, float, float, float], code: int) -> bool:
    """Whether ``extent`` (min x, min y, max x, max y in the CRS's own coordinates, x first)
    leaves the area of use of EPSG ``code`` (widened by ``AREA_MARGIN``): coordinates
    declared in the wrong CRS."""
    bounds = area_bounds(code)
    if bounds is None:
        return False
    x0, y0, x1, y1 = extent
    return x0 < bounds[0] or y0 < bounds[1] or x1 > bounds[2] or y1 > bounds[3]


def area_name(code: int) -> str:
    area = crs_of(code).area_of_use
    return area.name if area is not None else ""


def envelope(bbox: list[float], srid: int, lat_first: bool = False) -> Polygon:
    """A ``bbox`` (xmin, ymin, xmax, ymax in ``srid``, latitude first where that CRS says so,
    as OGC API ``bbox-crs`` does) as a polygon in storage coordinates (lon/lat, EPSG:4326)."""
    xmin, ymin, xmax, ymax = bbox
    if lat_first:
        xmin, ymin, xmax, ymax = ymin, xmin, ymax, xmax
    box = Polygon.from_bbox((xmin, ymin, xmax, ymax))
    box.srid = srid
    if srid != 4326:
        box.transform(4326)
    return box
