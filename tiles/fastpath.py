"""WSGI fast path: anonymous tiles answered before Django, from the disk cache or rendered.

An anonymous tile is the same for every visitor, so serving it needs no request object,
middleware, session or URL resolution: read the file the view would read or, when it is not
cached yet, render it with the view's own function and store it as the view would
(``cache.get_or_render`` around ``render_tile`` for an anonymous visitor, whose rule compiles
to SQL memoized per collection), then answer with the view's headers (``ETag``, ``304``,
``204`` for an empty tile). With ``TILES_CACHE`` off the tile is rendered at every
request, as the view does then. Anything else — credentials, a session cookie, a query string,
a tile outside the grid, a rendering failure — goes to Django unchanged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import close_old_connections
from django.http import QueryDict

from observatoire.catalogue import COLLECTIONS

from . import cache
from .conf import tiles_setting
from .errors import TileError
from .params import TileParams, tile_index
from .render import render_tile
from .responses import MVT_TYPE, cache_headers, etag

TILE_PATH = re.compile(r"^/tiles/([\w-]+)/(\d{1,2})/(\d{1,7})/(\d{1,7})\.pbf$")
STATUS = {200: "200 OK", 204: "204 No Content", 304: "304 Not Modified"}
#: Headers Django's middleware adds to every answer, kept on the fast path.
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]

logger = logging.getLogger(__name__)


class AnonymousTiles:
    """Wraps the Django WSGI application (``config/wsgi.py``)."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._params: TileParams | None = None

    def _tile(self, environ: dict) -> bytes | None:
        """The tile's bytes, or None when Django must answer."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_AUTHORIZATION")
            or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
        ):
            return None
        match = TILE_PATH.match(environ.get("PATH_INFO", ""))
        if match is None or match[1] not in COLLECTIONS:
            return None
        try:
            z, x, y = tile_index(match[2], match[3], match[4])
        except TileError:
            return None  # Django answers with the message
        if self._params is None:
            self._params = TileParams.from_query(QueryDict(""))
        if not tiles_setting("TILES_CACHE"):
            return self._render(None, match[1], z, x, y)
        path = cache.tile_path(match[1], self._params.key, z, x, y)
        data = cache.read(path)
        if data is None:
            data = self._render(path, match[1], z, x, y)
        return data

    def _render(self, path, collection: str, z: int, x: int, y: int) -> bytes | None:
        """Render, and store as the view does when the cache is on (``path``); on failure
        Django answers (and reports it)."""
        # What Django does when a request starts: drop a connection that broke or expired.
        close_old_connections()
        params = self._params

        def render() -> bytes:
            return render_tile(AnonymousUser(), COLLECTIONS[collection], params, z, x, y)

        try:
            return render() if path is None else cache.get_or_render(path, render)
        except Exception:
            logger.warning("Tile %s/%s/%s/%s left to Django", collection, z, x, y, exc_info=True)
            return None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        data = self._tile(environ)
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
