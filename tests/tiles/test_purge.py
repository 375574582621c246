"""The CDN purge hook (``SPASS_TILES_PURGE_URL``): a write that invalidates cached tiles has
the job queue POST their public URLs to a real local HTTP server, after the commit."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from ..factories import ResourceFactory
from ..workers import run_worker
from .conftest import LILLE, tile_of

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://cartes.example.org"


@pytest.fixture
def purge_server() -> Iterator[tuple[str, list[dict]]]:
    """A tiny HTTP server recording the JSON bodies POSTed to it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/purge", received
    finally:
        server.shutdown()
        server.server_close()


def test_moved_resource_purges_its_cached_tiles(
    client, cast, settings, tiles_var_dir, purge_server
):
    url, received = purge_server
    settings.SPASS = {**settings.SPASS, "TILES_PURGE_URL": url, "SITE_URL": SITE}
    resource = ResourceFactory(
        group=cast.group,
        author=cast["author"],
        level="public",
        geom=LILLE,
        validated_at=timezone.now(),
    )
    purges = ProcrastinateJob.objects.filter(task_name="tiles.purge")
    before = purges.count()  # nothing cached yet: the creation purged nothing
    z, x, y = tile_of(3.0573, 50.6292, 14)
    path = f"/tiles/observatoire/{z}/{x}/{y}.pbf"
    assert client.get(path).status_code == 200
    assert list(tiles_var_dir.glob("tiles/**/*.pbf")), "tile not cached"

    resource.geom = Point(2.3522, 48.8566, srid=4326)
    resource.save()
    assert purges.count() == before + 1
    assert received == []  # the request did not wait for the hook
    run_worker("tiles", tiles_var_dir, TILES_PURGE_URL=url, SITE_URL=SITE)
    assert len(received) == 1
    body = received[0]
    assert f"{SITE}{path}" in body["urls"]
    assert body["all"] is False
    west, south, east, north = body["bbox"]
    assert west <= 2.3522 and east >= 3.0573 and south <= 48.8566 and north >= 50.6292


def test_renamed_group_purges_every_tile(cast, settings, tiles_var_dir, purge_server):
    url, received = purge_server
    settings.SPASS = {**settings.SPASS, "TILES_PURGE_URL": url, "SITE_URL": SITE}
    cast.group.name = "Nouveau nom"
    cast.group.save()
    run_worker("tiles", tiles_var_dir, TILES_PURGE_URL=url, SITE_URL=SITE)
    assert received == [{"urls": [], "bbox": None, "all": True}]


def test_no_hook_no_job(cast, settings):
    settings.SPASS = {**settings.SPASS, "TILES_PURGE_URL": ""}
    purges = ProcrastinateJob.objects.filter(task_name="tiles.purge")
    before = purges.count()
    cast.group.name = "Sans crochet"
    cast.group.save()
    assert purges.count() == before
