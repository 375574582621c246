"""One collection registry for every channel: OGC API, tiles, downloads, uMap layers."""

import pytest

from exports.services import collection_names
from observatoire.catalogue import COLLECTIONS


def test_tiles_and_downloads_use_the_ogc_names():
    """A layer's collection is the same word in tiles, OGC API items and downloads: one
    catalogue (``observatoire.catalogue``) that every channel reads."""
    assert collection_names() == list(COLLECTIONS)
    assert "mediatheque-site-web" in COLLECTIONS  # hyphens, never underscores, in URLs
    assert not [name for name in COLLECTIONS if "_" in name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mediatheque-site-web", "activite-conseil-collectivites"])
def test_each_channel_answers_for_a_kind_collection(client, name):
    """The OGC items, the TileJSON and the GeoJSON download of one kind collection all exist."""
    assert client.get(f"/ogc/collections/{name}/items?f=json").status_code == 200
    assert client.get(f"/tiles/{name}.json").status_code == 200
    assert client.get(f"/exports/{name}.geojson").status_code == 200
