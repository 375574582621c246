"""The print renderer draws what it is given where the on-screen map would put it."""

import io

import pytest
from PIL import Image
from shapely.geometry import LineString, Point, Polygon

from geo.staticmap import Feature, Style, render_png

RED = Style(fill="#ff0000", stroke=None, opacity=1.0)


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def test_png_of_the_asked_size():
    image = _image(render_png([Feature(Point(3.06, 50.63))], width=320, height=200))
    assert image.size == (320, 200)


def test_polygon_filled_and_its_hole_left_empty():
    square = Polygon(
        [(2.0, 50.0), (3.0, 50.0), (3.0, 51.0), (2.0, 51.0)],
        holes=[[(2.4, 50.4), (2.6, 50.4), (2.6, 50.6), (2.4, 50.6)]],
    )
    image = _image(
        render_png(
            [Feature(square, RED)],
            bbox=(2.0, 50.0, 3.0, 51.0),
            width=400,
            height=400,
            padding=0,
            scale_bar=False,
        )
    )
    # Web Mercator stretches latitudes: the square is taller than wide, centred across.
    assert image.getpixel((40, 200)) == (244, 242, 236)
    # Inside the ring, outside the hole: red. In the hole: the background.
    assert image.getpixel((100, 60)) == (255, 0, 0)
    assert image.getpixel((200, 200)) == (244, 242, 236)


def test_west_is_left_and_north_is_up():
    west = Feature(Point(2.1, 50.5), Style(fill="#0000ff", stroke=None, opacity=1, radius=6))
    north = Feature(Point(2.5, 50.9), Style(fill="#00ff00", stroke=None, opacity=1, radius=6))
    image = _image(
        render_png(
            [west, north],
            bbox=(2.0, 50.0, 3.0, 51.0),
            width=400,
            height=400,
            padding=0,
            scale_bar=False,
        )
    )
    pixels = image.load()
    blue = [(x, y) for x in range(400) for y in range(400) if pixels[x, y] == (0, 0, 255)]
    green = [(x, y) for x in range(400) for y in range(400) if pixels[x, y] == (0, 255, 0)]
    assert blue and green
    assert max(x for x, _ in blue) < min(x for x, _ in green)  # west is left
    assert max(y for _, y in green) < min(y for _, y in blue)  # north is up
    assert max(y for _, y in green) < 60  # 50.9° is near the top edge


def test_a_line_is_stroked():
    line = Feature(LineString([(2.0, 50.5), (3.0, 50.5)]), Style(stroke="#000000", stroke_width=3))
    image = _image(
        render_png(
            [line], bbox=(2.0, 50.0, 3.0, 51.0), width=200, height=200, padding=0, scale_bar=False
        )
    )
    assert sum(image.getpixel((100, y))[0] < 80 for y in range(90, 110)) >= 2


def test_nothing_to_draw_frames_france():
    image = _image(render_png([], width=200, height=150))
    assert image.size == (200, 150)


@pytest.mark.django_db
def test_outlines_give_printed_maps_the_basemap_of_the_screen(territories):
    """Around Lille the underlay draws the Nord (white over the background) and its communes'
    limits; over the whole of France, départements only. Nothing is drawn on the sea."""
    from geo.staticmap import COMMUNE_STYLE, DEPARTEMENT_STYLE, outlines

    lille = (3.0, 50.6, 3.12, 50.66)
    assert [f.style for f in outlines(lille)] == [DEPARTEMENT_STYLE, COMMUNE_STYLE]
    assert [f.style for f in outlines((-5.2, 41.3, 9.6, 51.1))] == [DEPARTEMENT_STYLE]
    bare = _image(render_png([], bbox=lille, width=300, height=200, scale_bar=False))
    based = _image(
        render_png([], bbox=lille, width=300, height=200, scale_bar=False, underlay=outlines)
    )
    assert bare.getpixel((150, 100)) == (244, 242, 236)  # the background
    assert sum(based.getpixel((150, 100))) > sum(bare.getpixel((150, 100)))  # the Nord's white
    limits = {based.getpixel((x, 100)) for x in range(300)}
    assert len(limits) > 2  # communes' limits cross the row
    sea = (1.0, 50.9, 1.2, 51.0)  # the Channel off Calais
    assert outlines(sea) == [] or all(f.geometry.is_empty for f in outlines(sea))
