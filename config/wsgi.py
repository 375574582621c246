"""WSGI entry point, served by granian (``make run``) or any WSGI server."""

import os
from collections.abc import Callable

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# pygeoapi and the CQL2 parsers (Lark grammars) take about a second to import: a web worker
# pays it when it boots, not on its first request (which GIS clients would see time out);
# management commands (imports, migrations) never load them.
from observatoire.cql import parse_filter  # noqa: E402
from ogc.fastpath import OgcFeatures  # noqa: E402
from tiles.fastpath import AnonymousTiles  # noqa: E402
from workgroups.edge import InputEdge  # noqa: E402

parse_filter("id = 1", "cql2-text")


def with_fast_paths(app: Callable) -> Callable:
    """``app`` behind the WSGI fast paths: anonymous tiles, cached or rendered
    (tiles/fastpath.py), and the GeoJSON pages of anonymous or feed-key OGC API requests
    (ogc/fastpath.py) are answered before Django; everything else reaches ``app``. In front
    of them the edge (workgroups/edge/): a request with a NUL byte, invalid UTF-8 or an
    over-long value skips the fast paths and gets its 400 from ``app``."""
    return InputEdge(OgcFeatures(AnonymousTiles(app)), django=app)


application = with_fast_paths(django_application)
