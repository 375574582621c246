"""WSGI fast path: anonymous tiles answered before Django, from the disk cache or rendered.

An anonymous tile is the same for every visitor, so serving it needs no request object,
middleware, session or URL resolution: read the file the view would read or, when it is not
cached yet, render it with the view's own function and store it as the view would
(``cache.get_or_render`` around ``render_tile`` for an anonymous visitor, whose rule compiles
to SQL memoized per collection), then answer with the view's headers (``ETag``, ``304``,
``204`` for an empty tile). With ``TILES_CACHE`` off the tile is rendered at every
request, as the view does then. Anything else — credentials, a session cookie, a query string,
a tile outside the grid, a rendering failure — goes to Django unchanged. The lifecycle
signals and the headers Django's middleware adds come from the edge's
:class:`~workgroups.edge.FastPath`.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from observatoire.catalogue import COLLECTIONS
from workgroups.edge import FastAnswer, FastPath, fast_person

from . import cache
from .conf import tiles_setting
from .errors import TileError
from .params import TileParams, tile_index
from .render import render_tile
from .responses import MVT_TYPE, cache_headers, etag

TILE_PATH = re.compile(r"^/tiles/([\w-]+)/(\d{1,2})/(\d{1,7})/(\d{1,7})\.pbf$")
_NO_QUERY = QueryDict("")


class AnonymousTiles(FastPath):
    """Wraps the Django WSGI application (``config/wsgi.py``)."""

    #: A tile outside the grid: Django answers with the message.
    deferred = (TileError,)

    def __init__(self, app) -> None:
        super().__init__(app)
        self._params: TileParams | None = None
        self._variant = ""

    def eligible(self, environ: dict) -> bool:
        """A GET of a tile of a known collection, without a query string."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return False
        match = TILE_PATH.match(environ.get("PATH_INFO", ""))
        return match is not None and match[1] in COLLECTIONS

    def stored(self, environ: dict) -> FastAnswer | None:
        """A tile already in the disk cache: a file read, nothing of Django's."""
        if not tiles_setting("TILES_CACHE"):
            return None
        tile = self._anonymous_tile(environ)
        if tile is None:
            return None
        collection, z, x, y = tile
        data = cache.read(cache.tile_file(collection, self._key(), z, x, y))
        return None if data is None else self._reply(environ, data)

    def answer(self, environ: dict) -> FastAnswer | None:
        tile = self._anonymous_tile(environ)
        if tile is None:
            return None
        return self._reply(environ, self._tile(*tile))

    def _anonymous_tile(self, environ: dict) -> tuple[str, int, int, int] | None:
        """(collection, z, x, y) of an anonymous request; None for a personal tile (Django's)."""
        if fast_person(environ, _NO_QUERY) is None:
            return None  # credentials or a session
        match = TILE_PATH.match(environ["PATH_INFO"])
        return (match[1], *tile_index(match[2], match[3], match[4]))

    def _reply(self, environ: dict, data: bytes) -> FastAnswer:
        """The view's answer for these bytes: ``ETag``, 304, 204 for an empty tile."""
        tag = etag(data)
        headers = {"ETag": tag, **cache_headers(personal=False)}
        if environ.get("HTTP_IF_NONE_MATCH") == tag:
            return FastAnswer(304, headers)
        if not data:
            return FastAnswer(204, headers)
        headers["Content-Type"] = MVT_TYPE
        return FastAnswer(200, headers, data)

    def _key(self) -> str:
        """The cache variant of the anonymous tile (no filter, every property)."""
        if self._params is None:
            self._params = TileParams.from_query(_NO_QUERY)
            self._variant = self._params.key
        return self._variant

    def _tile(self, collection: str, z: int, x: int, y: int) -> bytes:
        """The view's anonymous tile, rendered (and stored as the view does when the cache is
        on; another worker may have stored it since :meth:`stored` looked)."""
        key = self._key()
        params = self._params

        def render() -> bytes:
            return render_tile(AnonymousUser(), COLLECTIONS[collection], params, z, x, y)

        if not tiles_setting("TILES_CACHE"):
            return render()
        return cache.get_or_render(cache.tile_path(collection, key, z, x, y), render)
