"""The tile collections: the OGC API registry (``ogc.collections``), seen by tiles and exports.

One registry names every collection (``observatoire``, ``observatoire-marqueur``,
``mediatheque-site-web``…), so a layer's collection is the same word in its tiles, its
OGC API items, its downloads and its uMap export.
"""

from __future__ import annotations

from typing import NamedTuple

from ogc.collections import COLLECTIONS as OGC_COLLECTIONS


class Collection(NamedTuple):
    base: str
    kind: str | None
    title: str


COLLECTIONS: dict[str, Collection] = {
    name: Collection(collection.base, collection.kind, collection.title["fr"])
    for name, collection in OGC_COLLECTIONS.items()
}
