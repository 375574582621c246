"""WSGI entry point, served by granian (``make run``) or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# pygeoapi and the CQL2 parsers (Lark grammars) take about a second to import: a web worker
# pays it when it boots, not on its first request (which GIS clients would see time out);
# management commands (imports, migrations) never load them.
from layers.cql import parse_filter  # noqa: E402
from ogc import views as _ogc_views  # noqa: E402, F401

parse_filter("id = 1", "cql2-text")

# Anonymous tiles, cached or rendered, are answered before Django (see tiles/fastpath.py).
from tiles.fastpath import AnonymousTiles  # noqa: E402

application = AnonymousTiles(application)
