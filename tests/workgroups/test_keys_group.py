"""A key restricted to one group opens only what its owner sees within that group, on every
read channel (the OGC API through its WSGI fast path, vector tiles' TileJSON, exports,
portal feeds); its last use is kept (date, channel) at most once a minute; revoked, it is a
401 at the next request on the fast path as on Django's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import feedparser
import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from observatoire.models import Resource
from tests.factories import MembershipFactory, ResourceFactory
from tests.tiles.conftest import ids_in, tile_of
from workgroups import keys, keyuse
from workgroups.models import FeedKey
from workgroups.roles import Level, Role

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def scene(cast):
    owner = cast["lecteur"]
    MembershipFactory(group=cast.other_group, user=owner, role=Role.LECTEUR)
    made = {}
    for group, word in [(cast.group, "Ici"), (cast.other_group, "Ailleurs")]:
        for level, validated in [(Level.GROUPE, False), (Level.PUBLIC, True)]:
            made[f"{word} {level}"] = ResourceFactory(
                title=f"{word} {level}", group=group, author=cast["author"], level=level,
                validated_at=timezone.now() if validated else None,
                geom=Point(3.06, 50.63, srid=4326),
            )  # fmt: skip
    keyuse.forget()
    return owner, made


def test_a_restricted_key_sees_only_within_its_group(cast, scene, live_server, fast_paths):
    owner, made = scene
    ledger, mark = fast_paths
    narrow = keys.create(owner, "QGIS du groupe", group=cast.group.slug).key
    wide = keys.create(owner, "QGIS").key
    here = {"Ici groupe", "Ici public"}
    assert set(
        Resource.objects.visible_to(owner).filter(title__in=made).values_list("title", flat=True)
    ) == set(made)

    def ogc(key: str) -> set[str]:
        status, body = _get(
            f"{live_server.url}/ogc/collections/observatoire/items?f=json&limit=100&key={key}"
        )
        assert status == 200
        return {f["properties"]["title"] for f in json.loads(body)["features"]} & set(made)

    assert ogc(narrow) == here
    assert ogc(wide) == set(made)
    assert ledger.layers(mark, "/items") == ["ogc", "ogc"]  # both through the fast path

    client = Client()
    exported = client.get(f"/exports/observatoire.geojson?key={narrow}")
    assert exported.status_code == 200
    data = json.loads(b"".join(exported.streaming_content))
    titles = {f["properties"]["titre"] for f in data["features"]}
    assert titles & set(made) == here
    feed = client.get(f"/portails/{cast.other_group.slug}/ressources.atom?key={narrow}")
    assert feed.status_code == 200
    assert {e.title for e in feedparser.parse(feed.content).entries} & set(made) == set()
    assert client.get(f"/tiles/observatoire.json?key={narrow}").status_code == 200


def test_last_use_is_kept_at_most_once_a_minute(cast, scene, live_server):
    owner, _made = scene
    key = keys.create(owner, "uMap", group=cast.group.slug)
    assert key.last_used_at is None
    _get(f"{live_server.url}/ogc/collections/observatoire/items?f=json&key={key.key}")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None and key.last_used_channel == "ogc"
    Client().get(f"/exports/observatoire.geojson?key={key.key}")
    key.refresh_from_db()
    assert key.last_used_at == first and key.last_used_channel == "ogc"  # within the minute
    keyuse.forget()  # another process, a minute on: its write is refused by the row's date
    FeedKey.objects.filter(pk=key.pk).update(last_used_at=first - timezone.timedelta(minutes=2))
    Client().get(f"/exports/observatoire.geojson?key={key.key}")
    key.refresh_from_db()
    assert key.last_used_channel == "exports" and key.last_used_at > first
    page = Client()
    page.force_login(owner)
    assert "(exports)" in page.get("/profil/cles/").content.decode()


def test_revoked_is_401_on_the_fast_path_at_the_next_request(cast, scene, live_server):
    owner, _made = scene
    key = keys.create(owner, "QGIS", group=cast.group.slug)
    url = f"{live_server.url}/ogc/collections/observatoire/items?f=json&key={key.key}"
    assert _get(url)[0] == 200
    keys.revoke(owner, key.pk)
    assert _get(url)[0] == 401
    assert _get(f"{live_server.url}/tiles/observatoire.json?key={key.key}")[0] == 401


def test_a_restricted_key_draws_only_its_group_in_the_tiles(
    cast, scene, live_server, settings, tmp_path
):
    """The vector tiles themselves (not only their TileJSON): the tile holding the four
    resources, read through a key restricted to the group, carries only that group's two."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    owner, made = scene
    narrow = keys.create(owner, "Tuiles du groupe", group=cast.group.slug).key
    wide = keys.create(owner, "Tuiles").key
    z, x, y = tile_of(3.06, 50.63, 14)
    ids = {resource.pk: title for title, resource in made.items()}

    def drawn(key: str) -> set[str]:
        status, body = _get(f"{live_server.url}/tiles/observatoire/{z}/{x}/{y}.pbf?key={key}")
        assert status == 200
        return {ids[pk] for pk in ids_in(body) if pk in ids}

    assert drawn(narrow) == {"Ici groupe", "Ici public"}
    assert drawn(wide) == set(made)
