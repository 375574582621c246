"""WSGI entry point used by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Anonymous tiles already cached on disk are answered before Django (see tiles/fastpath.py).
from tiles.fastpath import CachedTiles  # noqa: E402

application = CachedTiles(application)
