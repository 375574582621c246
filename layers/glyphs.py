"""SDF glyph PBFs for MapLibre symbol layers, generated from Debian's DejaVu Sans.

Why here: MapLibre needs glyph protobufs to draw labels and no CDN is allowed, so the
project renders them itself with Pillow (FreeType) and numpy, and encodes the tiny
glyph protobuf by hand rather than adding a dependency.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONTSTACK = "DejaVu Sans"
SIZE = 24
BUFFER = 3
RADIUS = 8.0
CUTOFF = 0.25


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field_varint(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _field_bytes(number: int, value: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(value)) + value


def _sdf(alpha: np.ndarray) -> np.ndarray:
    """Signed distance of a binary coverage, mapped to bytes as tiny-sdf does.

    Brute force over edge pixels: glyph boxes are a few dozen pixels wide, so a
    vectorised nearest-pixel search is fast enough and simpler than an EDT.
    """
    inside = alpha >= 128
    ys, xs = np.indices(alpha.shape)
    points = np.stack([ys.ravel(), xs.ravel()], axis=1).astype(np.float32)

    def distance_to(mask: np.ndarray) -> np.ndarray:
        targets = points[mask.ravel()]
        if len(targets) == 0:
            return np.full(alpha.shape, 1e3, dtype=np.float32)
        diff = points[:, None, :] - targets[None, :, :]
        return np.sqrt((diff**2).sum(axis=2).min(axis=1)).reshape(alpha.shape)

    signed = np.where(inside, -distance_to(~inside), distance_to(inside))
    values = 255 - 255 * (signed / RADIUS + CUTOFF)
    return np.clip(np.round(values), 0, 255).astype(np.uint8)


def _glyph(font: ImageFont.FreeTypeFont, code: int) -> bytes | None:
    char = chr(code)
    if not char.isprintable() and not char.isspace():
        return None
    advance = round(font.getlength(char))
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    width, height = max(right - left, 0), max(bottom - top, 0)
    ascender = font.getmetrics()[0]
    message = _field_varint(1, code)
    if width and height:
        image = Image.new("L", (width + 2 * BUFFER, height + 2 * BUFFER), 0)
        ImageDraw.Draw(image).text(
            (BUFFER - left, BUFFER - top), char, font=font, fill=255, anchor="ls"
        )
        bitmap = _sdf(np.asarray(image)).tobytes()
        message += _field_bytes(2, bitmap)
    message += _field_varint(3, width) + _field_varint(4, height)
    message += _field_varint(5, _zigzag(left)) + _field_varint(6, _zigzag(-top - ascender))
    message += _field_varint(7, advance)
    return message


@lru_cache(maxsize=64)
def glyph_range(start: int) -> bytes:
    """The PBF for the 256 code points from ``start`` (a multiple of 256)."""
    font = ImageFont.truetype(str(FONT_PATH), SIZE, layout_engine=ImageFont.Layout.BASIC)
    end = start + 255
    stack = _field_bytes(1, FONTSTACK.encode()) + _field_bytes(2, f"{start}-{end}".encode())
    for code in range(start, end + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        glyph = _glyph(font, code)
        if glyph is not None:
            stack += _field_bytes(3, glyph)
    return _field_bytes(1, stack)
