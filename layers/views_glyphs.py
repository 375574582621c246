"""Serve MapLibre glyph PBFs, generated once then read from an on-disk cache.

A view with a cache rather than a set-up command: any range a label asks for is
served, and nothing has to be run at deployment (the first request writes the file).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from . import glyphs

_MAX_CODE = 0xFFFF


@require_GET
def glyph_pbf(request: HttpRequest, fontstack: str, start: int, end: int) -> HttpResponse:
    if start % 256 or end != start + 255 or end > _MAX_CODE:
        raise Http404("plage de glyphes invalide")
    cache_dir = settings.VAR_DIR / "glyphs"
    path = cache_dir / f"{start}-{end}.pbf"
    if path.exists():
        data = path.read_bytes()
    else:
        data = glyphs.glyph_range(start)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    response = HttpResponse(data, content_type="application/x-protobuf")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    return response
