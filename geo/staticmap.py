"""Static map images for print: carnets and activity reports as PDF.

WeasyPrint runs no JavaScript, so the MapLibre maps of the pages cannot be printed as they are.
Rather than start a browser for every PDF (seconds and a process each), the features the reader
may see — chosen by the caller through ``visible_to`` — are drawn here with Pillow in Web
Mercator, the projection of the on-screen maps, so the printed map frames the same place.
There is no raster basemap: the platform reaches no tile server at print time. The context is
the one of the on-screen offline basemap instead — départements, and communes when the frame
is small enough to read them — drawn from the project's own outlines (``underlay=outlines``).

Drawing happens at twice the size and is reduced with a Lanczos filter: anti-aliased edges
without a vector library.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.affinity
from PIL import Image, ImageColor, ImageDraw
from shapely.geometry.base import BaseGeometry

#: Mainland France, the frame of a map with nothing to show.
FRANCE_BBOX = (-5.2, 41.3, 9.6, 51.1)
_SUPERSAMPLE = 2
_MERCATOR_LAT_LIMIT = 85.05112878
_EARTH_RADIUS = 6378137.0


@dataclass(frozen=True)
class Style:
    """How one feature is drawn; colours are CSS hex strings, ``opacity`` applies to the fill."""

    fill: str | None = "#2f6f9f"
    stroke: str | None = "#1d4461"
    stroke_width: float = 1.5
    opacity: float = 0.55
    radius: float = 5.0


@dataclass(frozen=True)
class Feature:
    """A geometry in EPSG:4326 and its style."""

    geometry: BaseGeometry
    style: Style = field(default_factory=Style)


def render_png(
    features: Iterable[Feature],
    *,
    bbox: Sequence[float] | None = None,
    width: int = 800,
    height: int = 500,
    background: str = "#f4f2ec",
    padding: int = 16,
    scale_bar: bool = True,
    underlay: Callable[[Sequence[float]], list[Feature]] | None = None,
) -> bytes:
    """The features drawn in order over ``bbox`` (west, south, east, north; the features'
    extent when omitted, mainland France when there are none), as PNG bytes; ``underlay``
    gives, for the frame's extent, features drawn first (:func:`outlines`)."""
    features = [f for f in features if f.geometry is not None and not f.geometry.is_empty]
    frame = _Frame.fit(bbox or _extent(features), width, height, padding)
    big = (width * _SUPERSAMPLE, height * _SUPERSAMPLE)
    image = Image.new("RGBA", big, _rgba(background))
    if underlay is not None:
        features = underlay(frame.visible(big)) + features
    for feature in features:
        _draw(image, frame.project(feature.geometry), feature.style)
    if scale_bar:
        _draw_scale_bar(image, frame)
    out = io.BytesIO()
    image.resize((width, height), Image.Resampling.LANCZOS).convert("RGB").save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


def _extent(features: Sequence[Feature]) -> Sequence[float]:
    if not features:
        return FRANCE_BBOX
    west, south, east, north = shapely.total_bounds([f.geometry for f in features])
    # A single point, or points on one line, still need a frame: about 2 km around them.
    margin = 0.01
    if east - west < margin:
        west, east = west - margin, east + margin
    if north - south < margin:
        south, north = south - margin, north + margin
    return west, south, east, north


def _mercator(coords: np.ndarray) -> np.ndarray:
    """Longitude/latitude in degrees to Web Mercator metres (EPSG:3857)."""
    lon = np.radians(coords[:, 0])
    lat = np.radians(np.clip(coords[:, 1], -_MERCATOR_LAT_LIMIT, _MERCATOR_LAT_LIMIT))
    return np.column_stack(
        (_EARTH_RADIUS * lon, _EARTH_RADIUS * np.log(np.tan(math.pi / 4 + lat / 2)))
    )


@dataclass(frozen=True)
class _Frame:
    """Maps Web Mercator metres to pixels of the supersampled image, keeping the aspect."""

    left: float
    top: float
    metres_per_pixel: float
    offset_x: float
    offset_y: float
    centre_latitude: float

    @classmethod
    def fit(cls, bbox: Sequence[float], width: int, height: int, padding: int) -> _Frame:
        west, south, east, north = bbox
        (x0, y0), (x1, y1) = _mercator(np.array([[west, south], [east, north]], dtype=float))
        inner_w = max(1, (width - 2 * padding) * _SUPERSAMPLE)
        inner_h = max(1, (height - 2 * padding) * _SUPERSAMPLE)
        mpp = max((x1 - x0) / inner_w, (y1 - y0) / inner_h, 1e-6)
        # Centre the extent in the image.
        offset_x = (width * _SUPERSAMPLE - (x1 - x0) / mpp) / 2
        offset_y = (height * _SUPERSAMPLE - (y1 - y0) / mpp) / 2
        return cls(x0, y1, mpp, offset_x, offset_y, (south + north) / 2)

    def visible(self, size: tuple[int, int]) -> tuple[float, float, float, float]:
        """West, south, east, north (degrees) of what an image of ``size`` pixels shows."""
        x0 = self.left - self.offset_x * self.metres_per_pixel
        x1 = x0 + size[0] * self.metres_per_pixel
        y1 = self.top + self.offset_y * self.metres_per_pixel
        y0 = y1 - size[1] * self.metres_per_pixel

        def degrees(x: float, y: float) -> tuple[float, float]:
            lat = math.degrees(2 * math.atan(math.exp(y / _EARTH_RADIUS)) - math.pi / 2)
            return math.degrees(x / _EARTH_RADIUS), lat

        (west, south), (east, north) = degrees(x0, y0), degrees(x1, y1)
        return west, south, east, north

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        def to_pixels(coords: np.ndarray) -> np.ndarray:
            metres = _mercator(coords)
            return np.column_stack(
                (
                    (metres[:, 0] - self.left) / self.metres_per_pixel + self.offset_x,
                    (self.top - metres[:, 1]) / self.metres_per_pixel + self.offset_y,
                )
            )

        # Detail finer than half a pixel is invisible: dropping it keeps large outlines fast.
        return shapely.transform(geometry, to_pixels).simplify(0.5, preserve_topology=False)


def _parts(geometry: BaseGeometry) -> Iterable[BaseGeometry]:
    if hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from _parts(part)
    else:
        yield geometry


def _rgba(colour: str, opacity: float = 1.0) -> tuple[int, int, int, int]:
    return (*ImageColor.getrgb(colour)[:3], round(255 * opacity))


def _draw(image: Image.Image, geometry: BaseGeometry, style: Style) -> None:
    stroke = round(style.stroke_width * _SUPERSAMPLE)
    for part in _parts(geometry):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            _draw_polygon(image, part, style, stroke)
        elif part.geom_type in ("LineString", "LinearRing"):
            if style.stroke:
                ImageDraw.Draw(image).line(
                    list(part.coords), fill=_rgba(style.stroke), width=max(stroke, 1), joint="curve"
                )
        elif part.geom_type == "Point":
            r = style.radius * _SUPERSAMPLE
            box = (part.x - r, part.y - r, part.x + r, part.y + r)
            ImageDraw.Draw(image).ellipse(
                box,
                fill=_rgba(style.fill) if style.fill else None,
                outline=_rgba(style.stroke) if style.stroke else None,
                width=stroke,
            )


def _draw_polygon(image: Image.Image, polygon: BaseGeometry, style: Style, stroke: int) -> None:
    if style.fill:
        # Holes (enclaves) are cut out through a mask: Pillow fills rings, not polygons. The
        # mask covers the polygon's bounds only, so a choropleth of many communes stays fast.
        x0, y0, x1, y1 = (math.floor(v) for v in polygon.bounds)
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1 + 1, image.width), min(y1 + 1, image.height)
        if x1 > x0 and y1 > y0:
            mask = Image.new("L", (x1 - x0, y1 - y0), 0)
            pen = ImageDraw.Draw(mask)
            shift = shapely.affinity.translate(polygon, -x0, -y0)
            pen.polygon(list(shift.exterior.coords), fill=round(255 * style.opacity))
            for hole in shift.interiors:
                pen.polygon(list(hole.coords), fill=0)
            image.paste(_rgba(style.fill), (x0, y0, x1, y1), mask)
    if style.stroke and stroke:
        pen = ImageDraw.Draw(image)
        for ring in (polygon.exterior, *polygon.interiors):
            pen.line(list(ring.coords), fill=_rgba(style.stroke), width=stroke, joint="curve")


def _draw_scale_bar(image: Image.Image, frame: _Frame) -> None:
    """A bar of a round length (1, 2 or 5 × 10ⁿ m) near a fifth of the width, bottom left."""
    ground_per_pixel = frame.metres_per_pixel * math.cos(math.radians(frame.centre_latitude))
    target = ground_per_pixel * image.width / 5
    magnitude = 10 ** math.floor(math.log10(target))
    length = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target)
    pixels = length / ground_per_pixel
    x, y = 12 * _SUPERSAMPLE, image.height - 14 * _SUPERSAMPLE
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    pen = ImageDraw.Draw(image)
    pen.rectangle((x - 4, y - 18 * _SUPERSAMPLE, x + pixels + 4, y + 6), fill=(255, 255, 255, 200))
    pen.line((x, y, x + pixels, y), fill=(34, 34, 34, 255), width=2 * _SUPERSAMPLE)
    pen.text((x, y - 16 * _SUPERSAMPLE), label, fill=(34, 34, 34, 255), font_size=11 * _SUPERSAMPLE)


#: Communes are drawn when the frame spans at most this many degrees of longitude (beyond,
#: thousands of outlines would only grey the map, as on screen below zoom 8).
COMMUNES_MAX_SPAN = 1.5
#: The on-screen offline basemap's colours (basemaps.services.OUTLINES_STYLE_LAYERS).
DEPARTEMENT_STYLE = Style(fill="#ffffff", stroke="#8a8577", stroke_width=0.8, opacity=0.8)
COMMUNE_STYLE = Style(fill=None, stroke="#c9c4b8", stroke_width=0.5)


def outlines(bbox: Sequence[float]) -> list[Feature]:
    """Départements (and communes on a small frame) crossing ``bbox``, simplified to about a
    pixel of a 900-pixel image: the printed maps' basemap, read from ``geo``'s tables."""
    from django.db import connection

    from .models import Commune, Departement

    west, south, east, north = bbox
    tolerance = max(east - west, north - south) / 1800
    layers = [(Departement._meta.db_table, "", DEPARTEMENT_STYLE)]
    if east - west <= COMMUNES_MAX_SPAN:
        layers.append((Commune._meta.db_table, "AND type = 'COM'", COMMUNE_STYLE))
    drawn = []
    with connection.cursor() as cursor:
        for table, extra, style in layers:
            cursor.execute(
                f"""SELECT ST_AsBinary(ST_Simplify(geom, %s)) FROM {table}
                     WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) {extra}""",
                [tolerance, west, south, east, north],
            )
            blobs = [bytes(row[0]) for row in cursor.fetchall() if row[0] is not None]
            if blobs:
                collection = shapely.GeometryCollection(list(shapely.from_wkb(blobs)))
                drawn.append(Feature(collection, style))
    return drawn
