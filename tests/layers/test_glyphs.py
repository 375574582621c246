"""The glyph endpoint serves a real MapLibre glyph PBF (decoded here by hand)."""

from __future__ import annotations


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _fields(data: bytes) -> list[tuple[int, object]]:
    pos, out = 0, []
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        else:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        out.append((number, value))
    return out


def test_glyph_range_has_letter_a(client):
    response = client.get("/glyphs/DejaVu%20Sans/0-255.pbf")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    (stack,) = [v for n, v in _fields(response.content) if n == 1]
    fields = _fields(stack)
    assert (2, b"0-255") in fields
    glyphs = {}
    for number, value in fields:
        if number == 3:
            glyph = dict(_fields(value))
            glyphs[glyph[1]] = glyph
    a = glyphs[65]
    assert len(a[2]) == (a[3] + 6) * (a[4] + 6)
    assert a[7] > 0


def test_bad_range_is_404(client):
    assert client.get("/glyphs/DejaVu%20Sans/0-100.pbf").status_code == 404
