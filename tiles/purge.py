"""The CDN purge hook: when the tile cache is invalidated, ``SPASS_TILES_PURGE_URL`` is sent
(by the job queue, after the commit: never while a request waits) the public tile URLs that
were removed, so that a CDN in front of several nodes forgets them too.

The body is JSON: ``{"urls": [absolute tile URLs], "bbox": [lon/lat bounds] | null,
"all": bool}``. ``urls`` lists the anonymous tiles that were in the (shared) disk cache, the
only ones a CDN can hold when the cache is on; ``bbox`` lets an adapter purge by area when
the cache is off; ``all`` asks for every tile (a group renamed, an import without bounds).
A CDN that purges by URL prefix purges the filtered variants (query strings) of each URL.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from procrastinate.contrib.django import app

from .cache import cache_dir
from .conf import tiles_setting
from .grid import Bounds

#: URLs per purge request (CDN APIs take lists of bounded length).
BATCH = 500
#: Seconds a purge request may take before the job is retried.
TIMEOUT = 10


def tile_urls(files: Iterable[Path]) -> list[str]:
    """The public URLs of removed cache files ``<cache>/<collection>/<variant>/z/x/y.pbf``,
    once each (the variants of a tile share its URL, apart from the query)."""
    root = cache_dir()
    site = str(tiles_setting("SITE_URL")).rstrip("/")
    urls: dict[str, None] = {}
    for file in files:
        collection, _variant, z, x, name = Path(file).relative_to(root).parts
        urls[f"{site}/tiles/{collection}/{z}/{x}/{name}"] = None
    return list(urls)


def announce(files: list[Path], bbox: Bounds | None, everything: bool = False) -> None:
    """After the commit, queue the purge of the removed tiles ``files`` (a list still filled
    until the commit), of ``bbox`` or of ``everything``; nothing without a hook."""
    if not tiles_setting("TILES_PURGE_URL"):
        return

    def queue() -> None:
        # read at the commit: the removal made again then (tiles/signals.py) adds its files
        urls = tile_urls(files)
        # with the cache on, a tile that was not on disk cannot be in a CDN either
        if not urls and not everything and (bbox is None or tiles_setting("TILES_CACHE")):
            return
        for start in range(0, max(len(urls), 1), BATCH):
            purge_tiles.defer(
                urls=urls[start : start + BATCH],
                bbox=list(bbox) if bbox is not None else None,
                everything=everything,
            )

    transaction.on_commit(queue)


@app.task(name="tiles.purge", queue="tiles", retry=5)
def purge_tiles(urls: list[str], bbox: list[float] | None, everything: bool) -> None:
    """POST the purge to the hook; a failure raises, so the job queue tries again later."""
    target = tiles_setting("TILES_PURGE_URL")
    if not target:
        return
    body = json.dumps({"urls": urls, "bbox": bbox, "all": everything}).encode()
    request = urllib.request.Request(
        target, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        response.read()
