"""Headers of tile responses, shared by the view and the WSGI fast path (same bytes, same
``ETag``, same caching rules whichever answers)."""

from __future__ import annotations

import hashlib

from .conf import tiles_setting

MVT_TYPE = "application/vnd.mapbox-vector-tile"


def etag(data: bytes) -> str:
    return '"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:20] + '"'


def cache_headers(personal: bool) -> dict[str, str]:
    """Personal answers are never stored by shared caches; anonymous ones are, briefly (the
    server's cache is invalidated on write, browsers keep ``TILES_MAX_AGE`` seconds)."""
    if personal:
        headers = {"Cache-Control": "private, no-cache"}
    else:
        headers = {
            "Cache-Control": f"public, max-age={int(tiles_setting('TILES_MAX_AGE'))}",
            "Access-Control-Allow-Origin": "*",
        }
    headers["Vary"] = "Authorization, Cookie"
    return headers
