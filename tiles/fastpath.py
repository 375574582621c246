"""WSGI fast path: anonymous tiles already in the disk cache, answered before Django.

A cached tile is the same for every anonymous visitor, so serving it needs no request object,
middleware, session or URL resolution: read the file the view would read, answer with the
view's headers (``ETag``, ``304``, ``204`` for an empty tile). Anything else — credentials, a
session cookie, a query string, a tile not cached yet — goes to Django unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import QueryDict

from . import cache
from .collections import COLLECTIONS
from .conf import tiles_setting
from .params import TileParams
from .responses import MVT_TYPE, cache_headers, etag

TILE_PATH = re.compile(r"^/tiles/([\w-]+)/(\d{1,2})/(\d{1,7})/(\d{1,7})\.pbf$")
STATUS = {200: "200 OK", 204: "204 No Content", 304: "304 Not Modified"}
#: Headers Django's middleware adds to every answer, kept on the fast path.
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]


class CachedTiles:
    """Wraps the Django WSGI application (``config/wsgi.py``)."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._variant: str | None = None

    def _cached(self, environ: dict) -> bytes | None:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_AUTHORIZATION")
            or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
            or not tiles_setting("TILES_CACHE")
        ):
            return None
        match = TILE_PATH.match(environ.get("PATH_INFO", ""))
        if match is None or match[1] not in COLLECTIONS:
            return None
        if self._variant is None:
            self._variant = TileParams.from_query(QueryDict("")).key
        z, x, y = int(match[2]), int(match[3]), int(match[4])
        return cache.read(cache.tile_path(match[1], self._variant, z, x, y))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        data = self._cached(environ)
        if data is None:
            return self.app(environ, start_response)
        tag = etag(data)
        headers = [("ETag", tag), *cache_headers(personal=False).items(), *SECURITY_HEADERS]
        if environ.get("HTTP_IF_NONE_MATCH") == tag:
            status, body = 304, b""
        elif data:
            status, body = 200, data
            headers += [("Content-Type", MVT_TYPE), ("Content-Length", str(len(data)))]
        else:
            status, body = 204, b""
        start_response(STATUS[status], headers)
        return [body]
