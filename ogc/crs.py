"""Coordinate reference systems offered by the OGC API (Features Part 2).

Storage is EPSG:4326 in lon/lat order (what OGC calls CRS84). EPSG:4326 itself is answered in
its authority axis order (lat/lon), as Part 2 requires; projected CRSs are easting/northing.
"""

from __future__ import annotations

from dataclasses import dataclass

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    lat_first: bool = False
    precision: int = 2  # decimals of output coordinates

    @property
    def header(self) -> str:
        """Value of the ``Content-Crs`` header."""
        return f"<{self.uri}>"


SUPPORTED: dict[str, Crs] = {
    CRS84: Crs(CRS84, 4326, precision=7),
    _EPSG + "4326": Crs(_EPSG + "4326", 4326, lat_first=True, precision=7),
    _EPSG + "2154": Crs(_EPSG + "2154", 2154),  # Lambert-93
    _EPSG + "3857": Crs(_EPSG + "3857", 3857),  # Web Mercator
    _EPSG + "5490": Crs(_EPSG + "5490", 5490),  # Antilles (RGAF09 / UTM 20N)
    _EPSG + "2972": Crs(_EPSG + "2972", 2972),  # Guyane (RGFG95 / UTM 22N)
    _EPSG + "2975": Crs(_EPSG + "2975", 2975),  # La Réunion (RGR92 / UTM 40S)
    _EPSG + "4471": Crs(_EPSG + "4471", 4471),  # Mayotte (RGM04 / UTM 38S)
}

DEFAULT = SUPPORTED[CRS84]


def lookup(value: str) -> Crs | None:
    """The CRS named by a URI (also ``EPSG:2154`` or the URN form), or None."""
    value = value.strip()
    if value in SUPPORTED:
        return SUPPORTED[value]
    upper = value.upper()
    if upper.startswith("URN:OGC:DEF:CRS:"):
        parts = [p for p in value.split(":") if p]
        authority, code = parts[4], parts[-1]
        value = f"http://www.opengis.net/def/crs/{authority}/0/{code}"
        if authority.upper() == "OGC":
            value = CRS84 if code.upper() == "CRS84" else value
        return SUPPORTED.get(value)
    if upper.startswith("EPSG:"):
        return SUPPORTED.get(_EPSG + value.split(":", 1)[1])
    return None
